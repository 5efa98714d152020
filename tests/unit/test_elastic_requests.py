"""The request side of the Elasticsearch store: what it would send, compared with golden JSON
files, and what it reads back. No server and no client: these tests build and parse requests."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import T0, event, flag, person, post

from netra.domain.models import (
    Category,
    EntityMatch,
    FlagOrigin,
    FlagStatus,
    Neighbour,
    Platform,
    PostVersion,
)
from netra.domain.textsearch import UnusableQuery
from netra.store.elastic import bulk, documents, mappings, queries
from netra.store.ports.types import AggregateBy, Bucket, FlagFilter, FlagSort, TimeField

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "elastic"
UPDATE = os.environ.get("NETRA_UPDATE_GOLDEN") == "1"
DIMS = 4


def golden_text(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with NETRA_UPDATE_GOLDEN=1 and review the diff"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def golden(name: str, value: Any) -> None:
    golden_text(name, json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def evidence_post():
    p = post(
        "1850000000000000001",
        text="Ayo #CoblosNomor2, dukung pemenangan calon kita!",
        media=["foto kaos kampanye"],
        url="https://x.com/u1003/status/1850000000000000001",
        raw_extra={"lang": "in", "entities": {"hashtags": [{"tag": "CoblosNomor2"}]}},
    ).with_evidence_hash()
    earlier = PostVersion(
        text="Ayo coblos",
        raw={"id": "1850000000000000001", "text": "Ayo coblos"},
        raw_sha256="0" * 64,
        collected_at=T0,
        superseded_at=T0 + timedelta(hours=1),
    )
    return p.model_copy(update={"edit_history": [earlier]})


def scored_flag(the_post):
    f = flag(the_post, p=0.87, assignees=["ana"], status=FlagStatus.IN_REVIEW)
    score = f.score.model_copy(
        update={
            "entities": [
                EntityMatch(kind="hashtag", value="coblosnomor2", matched="#CoblosNomor2")
            ],
            "signals": ["hashtag:coblosnomor2"],
            "neighbours": [
                Neighbour(text="coblos 2", label=1, category=Category.DUKUNGAN, similarity=0.9)
            ],
        }
    )
    return f.model_copy(update={"score": score})


# --- mappings ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", mappings.ROLES)
def test_index_templates_match_golden(role: str) -> None:
    golden(f"template_{role}.json", mappings.index_template(role, dims=DIMS))


def test_layout_is_versioned_indices_behind_write_aliases() -> None:
    v1, v2 = mappings.layout(1, DIMS), mappings.layout(2, DIMS)
    assert v1["posts"].index == "netra-posts-v1" and v1["posts"].alias == "netra-posts"
    assert v2["flags"].index == "netra-flags-v2" and v2["flags"].alias == "netra-flags"
    for role, item in v1.items():
        assert item.create_body == {"aliases": {f"netra-{role}": {"is_write_index": True}}}
        assert item.template["template"]["mappings"]["dynamic"] == "strict"
        assert "aliases" not in item.template["template"]
        assert item.template["index_patterns"] == [f"netra-{role}-v*"]
    assert v2["events"].template["version"] == 2
    swap = mappings.swap_alias_body("flags", 1, 2)
    assert swap["actions"][0] == {"remove": {"index": "netra-flags-v1", "alias": "netra-flags"}}
    assert swap["actions"][1]["add"]["is_write_index"] is True
    assert mappings.reindex_body("posts", 1, 2) == {
        "source": {"index": "netra-posts-v1"},
        "dest": {"index": "netra-posts-v2"},
    }
    with pytest.raises(ValueError):
        mappings.index_name("reports")
    embedding = mappings.flag_properties(768)["embedding"]
    assert embedding["dims"] == 768 and embedding["index_options"] == {"type": "int8_hnsw"}


def _mapped_fields(properties: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for name, spec in properties.items():
        path = prefix + name
        found[path] = spec
        for sub, sub_spec in spec.get("fields", {}).items():
            found[f"{path}.{sub}"] = sub_spec
        if "properties" in spec:
            found.update(_mapped_fields(spec["properties"], path + "."))
    return found


def _fields_used(node: Any) -> set[str]:
    """Every field name a search body refers to: query clauses, sorts, aggregations, kNN."""
    used: set[str] = set()
    if isinstance(node, list):
        for item in node:
            used |= _fields_used(item)
        return used
    if not isinstance(node, dict):
        return used
    for key, value in node.items():
        if key in ("term", "terms", "range", "prefix", "match", "match_phrase"):
            used |= set(value)
        elif key == "multi_match":
            used |= set(value["fields"])
        elif key in ("exists", "knn"):
            used.add(value["field"])
        elif key == "sort":
            used |= {name for entry in value for name in entry}
        elif key == "sources":
            used |= {
                kind["field"]
                for source in value
                for named in source.values()
                for kind in named.values()
            }
            continue
        elif key in ("pit", "search_after", "_source", "query_vector", "after"):
            continue
        used |= _fields_used(value)
    return used


def every_request() -> list[dict[str, Any]]:
    everything = FlagFilter(
        statuses=frozenset({FlagStatus.NEW}),
        categories=frozenset({Category.PARTAI}),
        platforms=frozenset({Platform.X}),
        origins=frozenset({FlagOrigin.CLASSIFIER}),
        agencies=frozenset({"Dinas Kesehatan"}),
        region_codes=frozenset({"64.71"}),
        assignee="ana",
        unassigned=True,
        score_min=0.5,
        score_max=0.9,
        posted_from=T0,
        posted_to=T0,
        flagged_from=T0,
        flagged_to=T0,
        person_nip="198503122010011003",
    )
    bodies = [
        queries.queue_search(
            everything, 'ayo "dukung calon" #CoblosNomor2 kamp*', sort, 10, pit_id="p"
        )
        for sort in FlagSort
    ]
    for by in AggregateBy:
        for field in TimeField:
            bodies.append(queries.aggregate_body(everything, by, "day", field, "Asia/Makassar"))
    bodies.append(queries.similar_body("x:1", [0.1] * DIMS))
    return bodies


def test_every_field_a_request_uses_is_in_the_flags_mapping() -> None:
    mapped = _mapped_fields(mappings.flag_properties(DIMS))
    used: set[str] = set()
    for body in every_request():
        used |= _fields_used(body)
    assert {"status", "agency", "region_code", "posted_at", "flagged_at", "embedding"} <= used
    assert {"post_text", "post_media.words", "score.probability", "assignees", "flag_id"} <= used
    assert used - set(mapped) == set()
    assert mapped["embedding"]["type"] == "dense_vector"
    # filters and sorts need values, not analysed text
    for name in used - {"post_text", "post_media", "post_text.words", "post_media.words"}:
        assert mapped[name]["type"] in {"keyword", "date", "double", "integer", "dense_vector"}, (
            name
        )


# --- documents -----------------------------------------------------------------------------


def test_doc_ids_are_deterministic_and_safe() -> None:
    assert documents.doc_id("x:1850000000000000001") == "x:1850000000000000001"
    assert documents.doc_id("youtube:abc_DEF-1.2") == "youtube:abc_DEF-1.2"
    for odd in ("report:a/b", "_x", "x:dengan spasi", "x:ﺏ", "x:" + "a" * 600):
        made = documents.doc_id(odd)
        assert made.startswith("=") and len(made) == 65 and made == documents.doc_id(odd)
    assert len(("x:" + "a" * 510).encode()) == 512
    assert documents.doc_id("x:" + "a" * 510) == "x:" + "a" * 510
    assert documents.doc_id("x:" + "a" * 511).startswith("=")
    assert documents.event_doc_id("x:1", 3) == "x:1:3"
    with pytest.raises(ValueError):
        documents.doc_id("")


def test_post_round_trip_keeps_the_evidence() -> None:
    p = evidence_post()
    doc = documents.post_document(p)
    assert set(doc) <= set(mappings.post_properties())
    assert documents.post_from_document(json.loads(json.dumps(doc))) == p


def test_flag_round_trip_with_person_and_post_facts() -> None:
    p, f = evidence_post(), scored_flag(evidence_post())
    facts = documents.FlagFacts.of(p, person())
    doc = documents.flag_document(f, facts, embedding=[0.5, -0.25, 0.0, 1.0])
    assert set(doc) == set(mappings.flag_properties(DIMS))
    assert (doc["agency"], doc["region_code"], doc["platform"]) == ("Dinas Kesehatan", "64.71", "x")
    assert doc["employment_type"] == "PNS" and doc["posted_at"] == "2024-10-01T00:00:00Z"
    back, back_facts = documents.flag_from_document(json.loads(json.dumps(doc)))
    assert back == f and back_facts == facts
    unregistered = documents.FlagFacts.of(post("9", nip=None), None)
    doc = documents.flag_document(flag(post("9", nip=None)), unregistered)
    assert "embedding" not in doc and doc["agency"] is None
    assert documents.flag_from_document(doc)[1] == unregistered


def test_review_event_round_trip_needs_its_seq() -> None:
    e = event("x:1", FlagStatus.CONFIRMED, reason="bukti cukup", note="sudah dicek", version=3)
    with pytest.raises(ValueError):
        documents.event_document(e)
    stored = e.model_copy(update={"seq": 2})
    doc = documents.event_document(stored)
    assert set(doc) == set(mappings.event_properties())
    assert documents.event_from_document(json.loads(json.dumps(doc))) == stored


# --- bulk ----------------------------------------------------------------------------------


def sample_actions() -> list[bulk.BulkAction]:
    p, f = evidence_post(), scored_flag(evidence_post())
    facts = documents.FlagFacts.of(p, person())
    e = event("x:1850000000000000001", FlagStatus.IN_REVIEW, seq=1, version=2)
    return [
        bulk.index_action("netra-posts", documents.doc_id(p.id), documents.post_document(p)),
        bulk.insert_or_refresh_action(
            "netra-flags",
            documents.doc_id(f.id),
            documents.flag_document(f, facts, [0.5, -0.25, 0.0, 1.0]),
            documents.rescore_document(f, [0.5, -0.25, 0.0, 1.0]),
        ),
        bulk.create_action(
            "netra-events", documents.event_doc_id(e.flag_id, 1), documents.event_document(e)
        ),
        bulk.upsert_action("netra-posts", "x:2", {"last_checked_at": "2024-10-02T00:00:00Z"}),
    ]


def test_bulk_body_matches_golden() -> None:
    body = bulk.encode(sample_actions())
    assert body.endswith(b"\n") and body.count(b"\n") == 8
    for line in body.splitlines():
        json.loads(line)
    golden_text("bulk_body.ndjson", body.decode("utf-8"))


def test_rescore_never_touches_the_review_state() -> None:
    refresh = sample_actions()[1].source["doc"]
    assert set(refresh) == {"score", "category", "embedding"}


def test_bulk_refuses_nan() -> None:
    with pytest.raises(ValueError):
        bulk.encode([bulk.index_action("netra-flags", "x:1", {"embedding": [float("nan")]})])


def test_chunks_by_count_and_bytes() -> None:
    actions = [
        bulk.index_action("netra-posts", f"x:{i}", {"text": "a" * (100 if i != 5 else 5000)})
        for i in range(10)
    ]
    sizes = [len(a.to_ndjson()) for a in actions]
    limit = 3 * sizes[0]
    groups = list(bulk.chunks(actions, max_actions=100, max_bytes=limit))
    assert [a for g in groups for a in g] == actions  # nothing lost, order kept
    assert [[a.id for a in g] for g in groups] == [
        ["x:0", "x:1", "x:2"],
        ["x:3", "x:4"],
        ["x:5"],  # larger than the limit: alone
        ["x:6", "x:7", "x:8"],
        ["x:9"],
    ]
    for g in groups:
        assert len(bulk.encode(g)) <= limit or len(g) == 1
    assert [len(g) for g in bulk.chunks(actions, max_actions=4)] == [4, 4, 2]


def recorded_response() -> dict[str, Any]:
    ok = {"_index": "netra-posts-v1", "_version": 1, "_seq_no": 7, "_primary_term": 1}
    shards = {"total": 2, "successful": 1, "failed": 0}
    return {
        "took": 31,
        "errors": True,
        "items": [
            {
                "index": {
                    **ok,
                    "_id": "x:1850000000000000001",
                    "result": "created",
                    "_shards": shards,
                    "status": 201,
                }
            },
            {
                "update": {
                    "_index": "netra-flags-v1",
                    "_id": "x:1850000000000000001",
                    "status": 429,
                    "error": {
                        "type": "es_rejected_execution_exception",
                        "reason": "rejected execution of coordinating operation",
                    },
                }
            },
            {
                "create": {
                    "_index": "netra-events-v1",
                    "_id": "x:1850000000000000001:1",
                    "status": 409,
                    "error": {
                        "type": "version_conflict_engine_exception",
                        "reason": "[x:1850000000000000001:1]: version conflict, document already exists (current version [1])",
                        "index_uuid": "Qk3Yd1x9T6uB0pQ2w2Zf3A",
                        "shard": "0",
                        "index": "netra-events-v1",
                    },
                }
            },
            {
                "update": {
                    "_index": "netra-posts-v1",
                    "_id": "x:2",
                    "status": 400,
                    "error": {
                        "type": "document_parsing_exception",
                        "reason": "[1:2] failed to parse",
                        "caused_by": {
                            "type": "strict_dynamic_mapping_exception",
                            "reason": "[1:2] mapping set to strict, dynamic introduction of [lastchecked] within [_doc] is not allowed",
                        },
                    },
                }
            },
        ],
    }


def test_bulk_response_reports_every_failed_item() -> None:
    sent = sample_actions()
    outcome = bulk.parse_bulk_response(recorded_response(), sent)
    assert outcome.succeeded == ["x:1850000000000000001"]
    assert outcome.results == {"x:1850000000000000001": "created"}
    assert [(e.op, e.id, e.status, e.retryable) for e in outcome.errors] == [
        ("update", "x:1850000000000000001", 429, True),
        ("create", "x:1850000000000000001:1", 409, False),
        ("update", "x:2", 400, False),
    ]
    assert outcome.errors[0].type == "es_rejected_execution_exception"
    assert "document already exists" in outcome.errors[1].reason
    assert outcome.errors[2].reason.endswith(
        "dynamic introduction of [lastchecked] within [_doc] is not allowed"
    )
    assert outcome.to_retry(sent) == [sent[1]]
    assert [e.id for e in outcome.permanent] == ["x:1850000000000000001:1", "x:2"]


def test_bulk_response_with_missing_items_drops_none() -> None:
    sent = sample_actions()
    response = recorded_response()
    response["items"] = response["items"][:2]
    outcome = bulk.parse_bulk_response(response, sent)
    missing = [e for e in outcome.errors if e.status is None]
    assert [e.id for e in missing] == [sent[2].id, sent[3].id]
    assert all(e.retryable for e in missing)
    with pytest.raises(ValueError):
        bulk.parse_bulk_response({"took": 1}, sent)


# --- queries -------------------------------------------------------------------------------


def full_filter() -> FlagFilter:
    return FlagFilter(
        statuses=frozenset({FlagStatus.NEW, FlagStatus.IN_REVIEW}),
        categories=frozenset({Category.DUKUNGAN, Category.PARTAI}),
        platforms=frozenset({Platform.X, Platform.TIKTOK}),
        origins=frozenset({FlagOrigin.CLASSIFIER}),
        agencies=frozenset({"Dinas Kesehatan"}),
        region_codes=frozenset({"64.71", "64"}),
        assignee="ana",
        unassigned=False,
        score_min=0.6,
        score_max=0.95,
        posted_from=T0,
        posted_to=T0 + timedelta(days=7),
        flagged_from=T0 + timedelta(hours=1, microseconds=250),
        flagged_to=T0 + timedelta(days=8),
        person_nip="198503122010011003",
    )


def test_queue_query_with_every_filter_and_a_cursor_matches_golden() -> None:
    cursor = queries.QueueCursor(
        sort=FlagSort.POSTED_DESC, after=(1727740800000, "x:1850000000000000001"), pit_id="pit-2"
    )
    decoded = queries.decode_cursor(queries.encode_cursor(cursor), FlagSort.POSTED_DESC)
    assert decoded == cursor
    body = queries.queue_search(
        full_filter(),
        'Ayo "dukung calon" #CoblosNomor2 #pemilu kamp* berkampanye',
        FlagSort.POSTED_DESC,
        50,
        decoded,
    )
    golden("queue_search_cursor.json", body)
    assert body["search_after"] == [1727740800000, "x:1850000000000000001"]
    assert body["pit"] == {"id": "pit-2", "keep_alive": "2m"} and body["track_total_hits"] is False


def test_first_page_needs_a_pit_and_counts() -> None:
    body = queries.queue_search(FlagFilter(unassigned=True), None, pit_id="pit-1", limit=10)
    assert body["size"] == 11 and body["track_total_hits"] is True and "search_after" not in body
    assert body["query"] == {
        "bool": {"filter": [{"bool": {"must_not": [{"exists": {"field": "assignees"}}]}}]}
    }
    assert body["sort"] == [{"score.probability": {"order": "desc"}}, {"flag_id": {"order": "asc"}}]
    assert queries.queue_search(pit_id="p")["query"] == {"match_all": {}}
    with pytest.raises(ValueError, match="pit_id"):
        queries.queue_search()
    with pytest.raises(ValueError, match="limit"):
        queries.queue_search(pit_id="p", limit=1001)
    assert queries.open_pit_request() == {
        "method": "POST",
        "path": "/netra-flags/_pit",
        "params": {"keep_alive": "2m"},
    }


def test_cursor_is_checked() -> None:
    cursor = queries.QueueCursor(FlagSort.SCORE_DESC, (0.9, "x:1"), "pit")
    text = queries.encode_cursor(cursor)
    with pytest.raises(ValueError, match="sort"):
        queries.decode_cursor(text, FlagSort.POSTED_ASC)
    with pytest.raises(ValueError, match="sort"):
        queries.queue_search(sort=FlagSort.POSTED_ASC, cursor=cursor)
    for bad in ("not a cursor", "", "W10"):
        with pytest.raises(ValueError):
            queries.decode_cursor(bad, FlagSort.SCORE_DESC)
    hit = {"_id": "x:1", "sort": [0.9, "x:1"]}
    assert queries.next_cursor(FlagSort.SCORE_DESC, hit, "pit") == cursor


def test_q_follows_the_readme_semantics() -> None:
    def clause(q: str) -> list[dict[str, Any]]:
        return queries.text_clauses(q)

    assert clause("") == [] and clause("   ") == []
    # every word must match (AND), operators are plain words
    assert [c["multi_match"]["query"] for c in clause("pilih OR -calon")] == [
        "pilih",
        "or",
        "calon",
    ]
    # a quoted phrase stays a phrase
    (phrase,) = clause('"Dukung Calon"')
    assert (
        phrase["multi_match"]["type"] == "phrase"
        and phrase["multi_match"]["query"] == "dukung calon"
    )
    # word* is an unstemmed prefix on either text
    (prefix,) = clause("Kampa*")
    assert prefix["bool"]["should"] == [
        {"prefix": {"post_text.words": {"value": "kampa"}}},
        {"prefix": {"post_media.words": {"value": "kampa"}}},
    ]
    # a hashtag: the tag whole, or its parts as a phrase
    (tag,) = clause("#CoblosNomor2")
    should = tag["bool"]["should"]
    assert should[0]["multi_match"] == {
        "query": "coblos nomor 2",
        "fields": ["post_text", "post_media"],
        "zero_terms_query": "all",
        "type": "phrase",
    }
    assert should[1]["multi_match"]["query"] == "coblosnomor2"
    for unusable in ("🙏🙏", "!!!", "مرحبا", '"!!"'):
        with pytest.raises(UnusableQuery):
            clause(unusable)
    with pytest.raises(UnusableQuery):
        queries.queue_search(q="🙏", pit_id="p")


def test_aggregations_match_golden() -> None:
    golden(
        "aggregations.json",
        {
            "by_status": queries.aggregate_body(full_filter(), AggregateBy.STATUS),
            "by_region_per_day": queries.aggregate_body(
                None, AggregateBy.REGION, "day", TimeField.POSTED, "Asia/Makassar"
            ),
            "per_day_next_page": queries.aggregate_body(
                FlagFilter(platforms=frozenset({Platform.X})),
                None,
                "day",
                tz="Asia/Jakarta",
                after={"day": "2024-10-01"},
            ),
        },
    )
    with pytest.raises(ValueError):
        queries.aggregate_body(None, None)
    with pytest.raises(ValueError):
        queries.aggregate_body(None, AggregateBy.AGENCY, "week")
    with pytest.raises(ValueError):
        queries.aggregate_body(None, AggregateBy.AGENCY, "day", tz="Mars/Olympus")


def test_aggregate_response_parses_to_buckets() -> None:
    response = {
        "aggregations": {
            "groups": {
                "after_key": {"key": "64.71", "day": "2024-10-02"},
                "buckets": [
                    {"key": {"key": None, "day": "2024-10-01"}, "doc_count": 2},
                    {"key": {"key": "64.71", "day": "2024-10-01"}, "doc_count": 5},
                    {"key": {"key": "64.71", "day": "2024-10-02"}, "doc_count": 1},
                ],
            }
        }
    }
    buckets, after = queries.parse_aggregate(response)
    assert after == {"key": "64.71", "day": "2024-10-02"}
    assert queries.sort_buckets(buckets) == [
        Bucket(key="64.71", day="2024-10-01", count=5),
        Bucket(key=None, day="2024-10-01", count=2),
        Bucket(key="64.71", day="2024-10-02", count=1),
    ]
    last = {"aggregations": {"groups": {"after_key": {"key": "z"}, "buckets": []}}}
    assert queries.parse_aggregate(last) == ([], None)


def test_knn_body_matches_golden_and_scores_become_cosines() -> None:
    body = queries.similar_body("x:1850000000000000001", [0.5, -0.25, 0.0, 1.0], k=3)
    golden("knn_similar.json", body)
    response = {
        "hits": {
            "hits": [
                {"_id": "x:2", "_score": 0.95, "_source": {"flag_id": "x:2"}},
                {"_id": "x:3", "_score": 0.5, "_source": {"flag_id": "x:3"}},
            ]
        }
    }
    sims = queries.parse_similar(response)
    assert [s.flag_id for s in sims] == ["x:2", "x:3"]
    assert sims[0].similarity == pytest.approx(0.9) and sims[1].similarity == pytest.approx(0.0)


def test_review_decision_is_conditional_on_seq_no_and_primary_term() -> None:
    f = flag(post("1"), status=FlagStatus.IN_REVIEW)
    reviewed = f.model_copy(
        update={"status": FlagStatus.CONFIRMED, "version": 2, "updated_at": T0 + timedelta(days=1)}
    )
    write = queries.review_update(documents.doc_id(f.id), reviewed, seq_no=41, primary_term=3)
    assert write.path == "/netra-flags/_update/x:1"
    assert write.params == {"if_seq_no": 41, "if_primary_term": 3, "refresh": "wait_for"}
    assert write.body == {
        "doc": {
            "status": "confirmed",
            "assignees": [],
            "version": 2,
            "updated_at": "2024-10-02T00:00:00Z",
        }
    }
    with pytest.raises(ValueError):
        queries.review_update("x:1", reviewed, seq_no=-1, primary_term=1)
