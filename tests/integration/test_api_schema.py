"""Schemathesis against the API's own OpenAPI spec: generated requests (valid and not) must never
get a 500 and every response must match the documented schema. Beside what the schema describes,
about half the cases are spoilt with what broke the API before: times with no UTC twin, digest
days at the ends of the calendar, crafted cursors, queries with no searchable word, bodies holding
NaN, Infinity or lone surrogates, and flag ids of every platform's shape (Bluesky's hold ``/``)."""

from __future__ import annotations

import base64
import json
import math
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import schemathesis
import synth
from factories import flag, post
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from api.app import create_app
from netra.domain.access import hash_token
from netra.domain.models import Platform, Role
from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore

_work = Path(tempfile.mkdtemp(prefix="netra-schema-"))
_store = SqliteStore(_work / "api.db")
_people = list(synth.people(3, seed=8))
_store.upsert_people(_people)
_posts = [post(f"p{i}", f"ayo pilih nomor {i}", nip=_people[i % 3].nip) for i in range(5)]
_posts += [
    post(native, "ayo pilih nomor 2", platform=platform, nip=_people[0].nip)
    for platform, native in (
        (Platform.BLUESKY, "did:plc:z72i7hdynmk6r22z27h6tvur/3n2nqxyz2k22a"),
        (Platform.YOUTUBE, "-dQw4w9WgX_"),
        (Platform.FACEBOOK, "100064_987654321"),
    )
]
_store.upsert_posts(_posts)
_store.upsert_flags([flag(p) for p in _posts])
_store.add_user("fuzz-admin", Role.ADMIN, hash_token("fuzz-token"))
_app = create_app(
    Settings(
        db_path=_work / "api.db",
        var_dir=_work / "var",
        model_dir=_work / "models",
        auth_failure_limit=1_000_000,  # the fuzzer sends wrong tokens by design: no lock-out here
    ),
    _store,
)

schema = schemathesis.openapi.from_asgi("/openapi.json", _app)
HEADERS = {"Authorization": "Bearer fuzz-token"}

_offsets = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23))
EXTREME_TIMES = st.one_of(
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]),
    st.builds(
        lambda moment, offset: moment.replace(tzinfo=timezone(offset)).isoformat(),
        st.datetimes(max_value=datetime(1, 1, 2)) | st.datetimes(min_value=datetime(9999, 12, 30)),
        _offsets,
    ),
)
EXTREME_DAYS = st.sampled_from([date.min, date.max, date(1969, 12, 31)]).map(date.isoformat)
_numbers = st.one_of(
    st.integers(min_value=2**63 - 2, max_value=2**80) | st.integers(max_value=-(2**63)),
    st.sampled_from([math.nan, math.inf, -math.inf, True]),
)
_surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
CURSORS = st.builds(
    lambda sort, value, flag_id: base64.urlsafe_b64encode(
        json.dumps([sort, value, flag_id]).encode()
    ).decode(),
    st.sampled_from(["score_desc", "posted_asc"]),
    _numbers | st.floats(),
    st.text(max_size=3) | _surrogates,
)
UNSEARCHABLE = st.sampled_from(["😀", "%", '"', '""', "*", "选举", "ملک", "…"])
HOSTILE_QUERY = {"cursor": CURSORS, "q": UNSEARCHABLE}
HOSTILE_FORMATS = {"date-time": EXTREME_TIMES, "date": EXTREME_DAYS}
FLAG_IDS = st.sampled_from([p.id for p in _posts])


def _format(parameter: Any) -> str | None:
    declared = parameter.definition.get("schema", parameter.definition)
    return next(
        (s["format"] for s in [declared, *declared.get("anyOf", [])] if "format" in s), None
    )


def _hostile(parameter: Any) -> st.SearchStrategy[Any] | None:
    if parameter.name == "flag_id":
        return FLAG_IDS
    return HOSTILE_QUERY.get(parameter.name, HOSTILE_FORMATS.get(_format(parameter) or ""))


def _spoilt_body(body: Any) -> st.SearchStrategy[Any]:
    """The body as raw JSON bytes with one top-level value made non-finite or a lone surrogate."""
    if not isinstance(body, dict) or not body:
        return st.just(body)
    return st.builds(
        lambda key, value: json.dumps({**body, key: value}).encode(),
        st.sampled_from(sorted(body)),
        st.sampled_from([math.nan, math.inf, -math.inf]) | _surrogates | st.just(["\udfff"]),
    )


@st.composite
def _spoilt(draw: st.DrawFn, case: schemathesis.Case) -> schemathesis.Case:
    def spoil(parameters: Any, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        for parameter in parameters:
            strategy = _hostile(parameter)
            if strategy is not None and draw(st.booleans()):
                out[parameter.name] = draw(strategy)
        return out

    operation = case.operation
    return operation.Case(
        method=case.method,
        path_parameters=spoil(operation.path_parameters, case.path_parameters or {}),
        headers=dict(case.headers or {}),
        query=spoil(operation.query, case.query or {}),
        body=draw(_spoilt_body(case.body)) if operation.body else case.body,
        media_type=case.media_type,
    )


@schema.hook
def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
    return st.one_of(st.just(case), _spoilt(case))


# DELETE would revoke the fuzzing user; /healthz answers 503 by design while no model exists.
@schema.exclude(method="DELETE").exclude(path="/healthz").parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_request_reaches_a_500(case: schemathesis.Case) -> None:
    # Opaque values the schema cannot describe (a cursor from another queue, a time without a
    # zone) are refused with a 422 naming the field: schema-valid yet rightly rejected. Every
    # case gets a valid token, which turns a negative case whose fault was a missing
    # Authorization header into a valid request: the negative-data check would then fail on a
    # request that is in fact fine. (Unknown query parameters are a 422, tested on their own.)
    case.call_and_validate(
        headers={**(case.headers or {}), **HEADERS},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )


def test_the_schema_has_every_endpoint() -> None:
    paths = _app.openapi()["paths"]
    assert "/api/v1/flags/{flag_id}/actions" in paths and "/api/v1/stats/quality" in paths
