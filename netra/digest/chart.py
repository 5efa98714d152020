"""The digest's 14-day chart as a PNG: new suspected posts per day (bars), decisions (line)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from netra.digest.content import DayPoint

WIDTH_IN, HEIGHT_IN, DPI = 6.4, 2.6, 100


def chart_png(points: Sequence[DayPoint]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # no display; safe in workers and threads
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    axes = figure.subplots()
    labels = [p.day.strftime("%d/%m") for p in points]
    positions = range(len(points))
    axes.bar(positions, [p.new for p in points], color="#c0392b", label="dugaan baru")
    axes.plot(
        positions, [p.decided for p in points], color="#2c3e50", marker="o", label="diputuskan"
    )
    axes.set_xticks(list(positions), labels, fontsize=7, rotation=45)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=7, frameon=False, loc="upper left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
