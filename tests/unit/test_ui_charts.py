"""The statistics page's SVG charts as pure functions: bars scale to the largest value, nothing
to draw is said in words, text from data is escaped, and every chart is a named image."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from api.ui import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def widths(svg: str) -> list[float]:
    return [
        float(e.get("width", "0"))
        for e in parse(svg).iter(f"{SVG}rect")
        if (e.get("class") or "").startswith("bar")
    ]


def heights(svg: str) -> list[float]:
    root = parse(svg)
    return [
        float(e.get("height", "0"))
        for e in root.iter(f"{SVG}rect")
        if (e.get("class") or "").startswith("bar")
    ]


def test_horizontal_bars_scale_to_the_largest_value() -> None:
    svg = charts.bars("a", "Menurut instansi", [("A", 10), ("B", 5), ("C", 0), ("D", 1)])
    full, half, none, tenth = widths(svg)
    assert full > 0 and none == 0
    assert half == full / 2
    assert round(tenth, 2) == round(full / 10, 2)
    # the rows keep their order and carry their numbers
    root = parse(svg)
    rows = [(g.get("data-label"), g.get("data-value")) for g in root.iter(f"{SVG}g")]
    assert rows == [("A", "10"), ("B", "5"), ("C", "0"), ("D", "1")]


def test_columns_scale_to_the_largest_value_and_mark_highlights() -> None:
    points = [("0", 4), ("1", 2), ("2", 1), ("3", 0)]
    svg = charts.columns("c", "Umur", points, highlight=[2], alarm=[3])
    tall, mid, low, zero = heights(svg)
    assert mid == tall / 2 and low == tall / 4 and zero == 0
    classes = [e.get("class") for e in parse(svg).iter(f"{SVG}rect")]
    assert classes == ["bar", "bar", "bar warn", "bar late"]
    fills = [e.get("fill") for e in parse(svg).iter(f"{SVG}rect")]
    assert fills == [charts.BAR, charts.BAR, charts.WARN, charts.LATE]
    texts = [e.text for e in parse(svg).iter(f"{SVG}text")]
    assert "▲1" in texts and "▲0" in texts  # marked by more than colour, zero included


def test_columns_label_every_nth_tick_and_the_last() -> None:
    points = [(f"{day:02d}/11", day % 3) for day in range(1, 31)]
    svg = charts.columns("d", "Per hari", points, tick_every=5)
    ticks = [e.text for e in parse(svg).iter(f"{SVG}text") if e.get("class") == "tick"]
    days = [t for t in ticks if t and "/" in t]
    assert days == ["01/11", "06/11", "11/11", "16/11", "21/11", "26/11", "30/11"]


def test_empty_data_says_so() -> None:
    for svg in (
        charts.bars("e", "Kosong", []),
        charts.bars("e", "Nol", [("A", 0), ("B", 0)]),
        charts.columns("e", "Kosong", []),
        charts.meter("e", "Presisi", None),
    ):
        root = parse(svg)
        assert "tidak ada data" in "".join(root.itertext())
        assert root.get("role") == "img"
        assert not [e for e in root.iter(f"{SVG}rect") if e.get("class") == "bar"]
    svg = charts.bars("e", "Empty", [], no_data="no data")
    assert "no data" in svg and "tidak ada data" not in svg


def test_labels_and_titles_are_escaped() -> None:
    evil = '<script>alert("x")</script> & "Dinas"'
    svg = charts.bars("x", f"Judul {evil}", [(evil, 3)], summary=evil)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg
    root = parse(svg)  # still well-formed
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == f"Judul {evil}"
    group = root.find(f"{SVG}g")
    assert group is not None and group.get("data-label") == evil
    svg = charts.columns('x" onload="alert(1)', "t", [("<b>", 1)])
    assert 'onload="' not in svg and "<b>" not in svg
    parse(svg)


def test_every_chart_is_a_named_image() -> None:
    for svg in (
        charts.bars("k", "Kategori", [("A", 1)], summary="A: 1"),
        charts.columns("h", "Per hari", [("01/11", 1)], summary="1 dugaan"),
        charts.meter("p", "Presisi", 0.5),
        charts.empty("z", "Kosong"),
    ):
        root = parse(svg)
        assert root.get("role") == "img"
        first, second = (root.get("aria-labelledby") or "").split()
        assert root.find(f"{SVG}title[@id='{first}']") is not None
        assert root.find(f"{SVG}desc[@id='{second}']") is not None
        assert "style=" not in svg


def test_meter_fills_its_share_and_clamps() -> None:
    half = charts.meter("m", "Presisi", 0.5)
    track = [float(e.get("width", "0")) for e in parse(half).iter(f"{SVG}rect")]
    assert track[1] == track[0] / 2
    assert "50 %" in half
    over = charts.meter("m", "Presisi", 1.7)
    sizes = [float(e.get("width", "0")) for e in parse(over).iter(f"{SVG}rect")]
    assert sizes[0] == sizes[1] and "100 %" in over


def test_long_labels_are_shortened_in_the_drawing_only() -> None:
    name = "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah Provinsi"
    svg = charts.bars("l", "Instansi", [(name, 2)])
    drawn = [e.text or "" for e in parse(svg).iter(f"{SVG}text") if e.get("class") == "label"]
    assert drawn[0].endswith("…") and len(drawn[0]) <= charts.MAX_LABEL
    assert re.search(r'data-label="Badan Perencanaan[^"]+Provinsi"', svg)
