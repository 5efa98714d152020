"""Charts for the statistics page, drawn on the server as inline SVG: data in, SVG markup out.

Pure functions (no request, no store): each chart is an ``<svg role="img">`` named by its
``<title>`` and described by its ``<desc>``; every piece of text that comes from data is escaped.
No ``style`` attributes (the UI's CSP forbids inline styles): colours are SVG presentation
attributes, each with a class so ``stats.css`` may restyle it (print, for one). The colours meet
WCAG AA against white, and a highlighted bar is marked by more than its colour (a bold label and
a mark above it). Numbers for screen readers and tests are in the data table the page puts next to
each chart; the SVG only draws them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from markupsafe import Markup, escape

INK = "#1a1a1a"  # text: 17:1 on white
MUTED = "#4a4a4a"  # axes and grid: 8.9:1
BAR = "#0b5394"  # bars: 7.9:1
WARN = "#8a4b00"  # near the deadline: 6.5:1
LATE = "#a11212"  # past the deadline: 7.7:1
TRACK = "#767676"  # the outline of a meter: 4.5:1
NO_DATA = "tidak ada data"
WIDTH = 640  # viewBox width of columns and meters (drawn across a whole card)
BARS_WIDTH = 480  # of horizontal bars (drawn in half a card's row on wide screens)
MAX_LABEL = 26  # characters of a row label drawn in a horizontal bar chart; the table has all

Row = tuple[str, int]


def _num(value: float) -> str:
    """A coordinate without needless digits."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(
    ident: str, title: str, summary: str, height: float, kind: str, width: float = WIDTH
) -> str:
    ident = str(escape(ident))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img"'
        f' viewBox="0 0 {_num(width)} {_num(height)}" aria-labelledby="{ident}-t {ident}-d"'
        f' data-chart="{ident}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(summary)}</desc>'
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 12,
    anchor: str = "start",
    cls: str = "label",
    bold: bool = False,
    fill: str = INK,
) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text class="{cls}" x="{_num(x)}" y="{_num(y)}" font-size="{size}"'
        f' text-anchor="{anchor}" fill="{fill}"{weight}>{escape(text)}</text>'
    )


def empty(ident: str, title: str, message: str = NO_DATA, width: float = WIDTH) -> Markup:
    """The state of a chart with nothing to draw: the message where the bars would be."""
    height = 64
    return Markup(
        _open(ident, title, message, height, "empty", width)
        + f'<rect class="frame" x="0.5" y="0.5" width="{_num(width - 1)}" height="{height - 1}"'
        f' fill="none" stroke="{TRACK}" stroke-dasharray="4 4"/>'
        + _text(width / 2, height / 2 + 5, message, size=15, anchor="middle", cls="no-data")
        + "</svg>"
    )


def _fill(index: int, highlight: Collection[int], alarm: Collection[int]) -> tuple[str, str]:
    if index in alarm:
        return "bar late", LATE
    if index in highlight:
        return "bar warn", WARN
    return "bar", BAR


def bars(
    ident: str,
    title: str,
    rows: Sequence[Row],
    *,
    summary: str = "",
    no_data: str = NO_DATA,
) -> Markup:
    """Horizontal bars, one row each, in the order given; the longest bar is the largest value
    and the others scale to it. Labels longer than ``MAX_LABEL`` are shortened (the table keeps
    them whole)."""
    if not rows or not any(value > 0 for _, value in rows):
        return empty(ident, title, no_data, BARS_WIDTH)
    top = max(value for _, value in rows)
    label_w, value_w, row_h, pad = 176.0, 48.0, 26.0, 6.0
    area = BARS_WIDTH - label_w - value_w
    height = pad * 2 + row_h * len(rows)
    parts = [_open(ident, title, summary or title, height, "bars", BARS_WIDTH)]
    for index, (name, value) in enumerate(rows):
        y = pad + index * row_h
        width = area * value / top if value > 0 else 0.0
        parts.append(f'<g class="row" data-label="{escape(name)}" data-value="{value}">')
        parts.append(_text(label_w - 8, y + row_h / 2 + 4, _short(name), anchor="end"))
        parts.append(
            f'<rect class="bar" x="{_num(label_w)}" y="{_num(y + 4)}" width="{_num(width)}"'
            f' height="{_num(row_h - 8)}" fill="{BAR}"/>'
        )
        parts.append(_text(label_w + width + 6, y + row_h / 2 + 4, str(value), cls="value"))
        parts.append("</g>")
    parts.append(
        f'<line class="axis" x1="{_num(label_w)}" y1="{_num(pad)}" x2="{_num(label_w)}"'
        f' y2="{_num(height - pad)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return Markup("".join(parts) + "</svg>")


def columns(
    ident: str,
    title: str,
    points: Sequence[Row],
    *,
    summary: str = "",
    no_data: str = NO_DATA,
    tick_every: int = 1,
    highlight: Collection[int] = (),
    alarm: Collection[int] = (),
) -> Markup:
    """Vertical bars in the order given (days, ages): the tallest is the largest value. Every
    ``tick_every``-th label is drawn under its bar (and the last one). ``highlight`` and
    ``alarm`` are indexes drawn in the warning and the late colour, with a bold label and a mark
    above the bar, so colour is not the only sign."""
    if not points or not any(value > 0 for _, value in points):
        return empty(ident, title, no_data)
    top = max(value for _, value in points)
    left, right, head, foot = 40.0, 8.0, 22.0, 30.0
    plot_h = 180.0
    height = head + plot_h + foot
    slot = (WIDTH - left - right) / len(points)
    gap = min(slot * 0.2, 8.0)
    base = head + plot_h
    parts = [_open(ident, title, summary or title, height, "columns")]
    parts.append(_text(left - 6, head + 4, str(top), size=11, anchor="end", cls="tick"))
    parts.append(_text(left - 6, base, "0", size=11, anchor="end", cls="tick"))
    parts.append(
        f'<line class="grid" x1="{_num(left)}" y1="{_num(head)}" x2="{_num(WIDTH - right)}"'
        f' y2="{_num(head)}" stroke="{MUTED}" stroke-width="0.5" stroke-dasharray="3 3"/>'
    )
    show_values = len(points) <= 31
    for index, (name, value) in enumerate(points):
        x = left + index * slot + gap / 2
        bar_h = plot_h * value / top if value > 0 else 0.0
        cls, fill = _fill(index, highlight, alarm)
        marked = index in highlight or index in alarm
        parts.append(f'<g class="col" data-label="{escape(name)}" data-value="{value}">')
        parts.append(
            f'<rect class="{cls}" x="{_num(x)}" y="{_num(base - bar_h)}"'
            f' width="{_num(slot - gap)}" height="{_num(bar_h)}" fill="{fill}"/>'
        )
        centre = x + (slot - gap) / 2
        if show_values and (value > 0 or marked):
            mark = "▲" if marked else ""
            size = 11 if slot >= 18 else 8
            parts.append(
                _text(
                    centre,
                    base - bar_h - 4,
                    f"{mark}{value}",
                    size=size,
                    anchor="middle",
                    cls="value",
                    bold=marked,
                    fill=fill if marked else INK,
                )
            )
        if index % max(tick_every, 1) == 0 or index == len(points) - 1:
            parts.append(
                _text(centre, base + 18, name, size=11, anchor="middle", cls="tick", bold=marked)
            )
        parts.append("</g>")
    parts.append(
        f'<line class="axis" x1="{_num(left)}" y1="{_num(base)}" x2="{_num(WIDTH - right)}"'
        f' y2="{_num(base)}" stroke="{MUTED}" stroke-width="1"/>'
    )
    return Markup("".join(parts) + "</svg>")


def meter(
    ident: str,
    title: str,
    fraction: float | None,
    *,
    summary: str = "",
    no_data: str = NO_DATA,
) -> Markup:
    """One share (0–1) as a filled bar out of 100 %, the percentage written beside it; None is
    the no-data state."""
    if fraction is None:
        return empty(ident, title, no_data)
    fraction = min(max(fraction, 0.0), 1.0)
    height, left, track_w, bar_h = 56.0, 4.0, WIDTH - 110.0, 28.0
    percent = f"{fraction * 100:.0f} %"
    return Markup(
        _open(ident, title, summary or f"{title}: {percent}", height, "meter")
        + f'<rect class="track" x="{_num(left)}" y="12" width="{_num(track_w)}"'
        f' height="{_num(bar_h)}" fill="#ffffff" stroke="{TRACK}" stroke-width="1"/>'
        + f'<rect class="bar" x="{_num(left)}" y="12" width="{_num(track_w * fraction)}"'
        f' height="{_num(bar_h)}" fill="{BAR}"/>'
        + _text(left + track_w + 10, 12 + bar_h / 2 + 6, percent, size=18, cls="value", bold=True)
        + "</svg>"
    )
