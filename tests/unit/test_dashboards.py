"""The Kibana saved objects in dashboards/netra.ndjson: every line parses, ids are unique, every
reference resolves within the file, and every field a data view or visualisation uses exists in
the mapping of the index it reads, with a type that suits its use."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from netra.store.elastic.mappings import ROLES, alias_name, mappings

NDJSON = Path(__file__).resolve().parents[2] / "dashboards" / "netra.ndjson"
NUMERIC = {"long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float"}
# The types an operation needs from its source field.
NEEDS = {
    "date_histogram": {"date"},
    "terms": {"keyword"},
    "range": NUMERIC,
    "count": None,  # any field
    "unique_count": None,
}
for name in ("sum", "average", "min", "max", "median", "percentile", "last_value"):
    NEEDS[name] = NUMERIC


def objects() -> list[dict[str, Any]]:
    lines = NDJSON.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def by_id() -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["type"], o["id"]): o for o in objects()}


def flattened(properties: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for name, spec in properties.items():
        path = prefix + name
        if "properties" in spec:
            yield from flattened(spec["properties"], path + ".")
            continue
        yield path, spec.get("type", "object")
        for sub, subspec in spec.get("fields", {}).items():
            yield f"{path}.{sub}", subspec["type"]


FIELDS = {alias_name(role): dict(flattened(mappings(role)["properties"])) for role in ROLES}


def kql_fields(query: str) -> set[str]:
    """Field names a KQL query uses (quoted values removed first)."""
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', query)
    return set(re.findall(r"([A-Za-z_][\w.]*)\s*(?::|<=|>=|<|>)", unquoted))


def data_view_fields(view_id: str) -> dict[str, str]:
    view = by_id()[("index-pattern", view_id)]
    return FIELDS[view["attributes"]["title"]]


def lens_uses(lens: dict[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    """(data view id, field, operation or None for a query) for everything a Lens object uses."""
    state = lens["attributes"]["state"]
    refs = {r["name"]: r["id"] for r in lens["references"]}
    layers = state["datasourceStates"]["formBased"]["layers"]
    for layer_id, layer in layers.items():
        view = refs[f"indexpattern-datasource-layer-{layer_id}"]
        for field in kql_fields(state["query"]["query"]):
            yield view, field, None
        for column in layer["columns"].values():
            if column.get("sourceField") not in (None, "___records___"):
                yield view, column["sourceField"], column["operationType"]
            for bucket in column.get("params", {}).get("filters", []):
                for field in kql_fields(bucket["input"]["query"]):
                    yield view, field, None


def test_every_line_is_a_saved_object_with_a_unique_id() -> None:
    lines = [line for line in NDJSON.read_text(encoding="utf-8").splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    assert all({"type", "id", "attributes", "references"} <= set(o) for o in parsed)
    keys = [(o["type"], o["id"]) for o in parsed]
    assert len(keys) == len(set(keys)), "duplicate saved-object ids"
    assert {o["type"] for o in parsed} == {"index-pattern", "lens", "dashboard"}


def test_every_reference_resolves_within_the_file() -> None:
    known = by_id()
    missing = [
        f"{o['type']}/{o['id']} → {r['type']}/{r['id']}"
        for o in known.values()
        for r in o["references"]
        if (r["type"], r["id"]) not in known
    ]
    assert not missing


def test_the_dashboard_panels_point_at_its_references() -> None:
    (dashboard,) = [o for o in objects() if o["type"] == "dashboard"]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    ref_names = {r["name"] for r in dashboard["references"]}
    assert len(panels) == len(ref_names) == len({p["panelIndex"] for p in panels})
    for panel in panels:
        assert f"{panel['panelIndex']}:{panel['panelRefName']}" in ref_names
    lenses = {o["id"] for o in objects() if o["type"] == "lens"}
    assert {r["id"] for r in dashboard["references"]} == lenses, "a visualisation is not shown"


def test_data_views_read_the_aliases_with_their_time_fields() -> None:
    views = [o for o in objects() if o["type"] == "index-pattern"]
    assert {v["attributes"]["title"] for v in views} == {"netra-flags", "netra-events"}
    for view in views:
        fields = FIELDS[view["attributes"]["title"]]
        time_field = view["attributes"].get("timeFieldName")
        if time_field is not None:
            assert fields.get(time_field) == "date", f"{view['id']}: {time_field}"
    timed = {
        v["attributes"]["title"]: v["attributes"].get("timeFieldName")
        for v in views
        if v["attributes"].get("timeFieldName")
    }
    assert timed == {"netra-flags": "flagged_at", "netra-events": "at"}


@pytest.mark.parametrize(
    "lens", [o for o in objects() if o["type"] == "lens"], ids=lambda o: o["id"]
)
def test_every_field_a_visualisation_uses_is_mapped_with_a_suitable_type(
    lens: dict[str, Any],
) -> None:
    uses = list(lens_uses(lens))
    assert uses, "no field found: the extraction missed this visualisation's shape"
    wrong = []
    for view, field, operation in uses:
        fields = data_view_fields(view)
        if field not in fields:
            wrong.append(f"{field}: not in the mapping of {view}")
            continue
        needed = NEEDS.get(operation or "", {"keyword", "date", *NUMERIC, "boolean"})
        if operation is not None and operation not in NEEDS:
            wrong.append(f"{field}: operation {operation} not checked by this test")
        elif needed is not None and fields[field] not in needed:
            wrong.append(f"{field}: {fields[field]} does not suit {operation or 'a query'}")
    assert not wrong, "\n".join(wrong)


def test_the_field_extraction_catches_a_field_the_mapping_lacks() -> None:
    assert kql_fields('status : ("new" or "x : y") and not origin: "a" and at <= "now-7d"') == {
        "status",
        "origin",
        "at",
    }
    assert "assigned_reviewer" not in FIELDS["netra-flags"]


def test_titles_are_in_bahasa_indonesia_and_say_dugaan() -> None:
    titles = {o["id"]: o["attributes"]["title"] for o in objects() if o["type"] != "index-pattern"}
    for expected in (
        "Dugaan per hari",
        "Menurut kategori",
        "Menurut instansi",
        "Menurut wilayah",
        "Menurut platform",
        "Menurut status",
    ):
        assert expected in titles.values()
    assert not any("pelanggaran" in json.dumps(o).lower() for o in objects())  # only dugaan
