"""Elasticsearch sizing (issue #13): what the adapter's request side (netra/store/elastic) would send
for 1 M posts / 100 k flags, measured on a sample, and a paper sizing of a 3-node cluster for a
national day (1.3 M posts) and 50 concurrent analysts.

Measured here: the real bulk bodies (bulk.py at its default chunk limits, documents.py, the
insert-or-refresh upsert of a flag with a 384-dim float embedding as the encoder gives it) and the
real query bodies (queries.py). Everything in ``ASSUMPTIONS`` is an assumption: each says where it
comes from. No cluster is involved: nothing here measures Elasticsearch itself.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from _common import ROOT, report, timed

from netra.domain.models import (
    Category,
    EntityMatch,
    Flag,
    FlagOrigin,
    FlagStatus,
    Neighbour,
    Person,
    Platform,
    Post,
    Score,
)
from netra.store.elastic import bulk, documents, mappings, queries
from netra.store.ports.types import AggregateBy, FlagFilter, FlagSort, TimeField
from tests import synth

FIXTURES = ROOT / "tests" / "fixtures" / "platforms"
CATEGORIES = [c for c in Category if c is not Category.NETRAL]
# A PIT id grows with the shards it spans; 3 primaries of one index give a few hundred bytes.
PIT_ID = "x" * 300

# Assumptions of the paper sizing: value and where it comes from. Not measured here.
ASSUMPTIONS: dict[str, tuple[float, str]] = {
    "day_posts": (1_300_000, "issue #13 / bench national_day.py: a national day"),
    "flag_share": (
        0.10,
        "the brief's 100 k flags per 1 M posts; national_day.py queued 13.2 % + 0.9 % audit",
    ),
    "collect_window_h": (1.0, "worst case: the whole day collected in one hourly run"),
    "source_compression": (
        0.5,
        "assumed ratio of stored _source (LZ4 block compression of JSON) to its bytes",
    ),
    "analysed_text_ratio": (
        0.4,
        "assumed inverted index (terms, postings, positions) bytes per text byte, per analysed field",
    ),
    "keyword_text_ratio": (
        1.0,
        "assumed terms dictionary + doc values per byte of a near-unique .keyword value",
    ),
    "unique_keyword_ratio": (1.5, "assumed bytes per byte of a unique id kept as keyword"),
    "small_field_bytes": (8.0, "assumed per low-cardinality keyword/date/number field per doc"),
    "doc_overhead_bytes": (40.0, "assumed _seq_no, _primary_term, _version, _id terms per doc"),
    "hnsw_graph_bytes": (
        130.0,
        "assumed: HNSW m=16 (Elasticsearch default) keeps up to 2m=32 neighbours of 4 bytes on "
        "layer 0",
    ),
    "replicas": (1, "one replica: survives the loss of one node of three"),
    "disk_headroom": (
        1.35,
        "merges need spare space and the default low disk watermark is 85 %: 1/0.85 × ~1.15",
    ),
    "post_text_days": (30, "NETRA_RETENTION_DAYS default: unflagged posts keep text 30 days"),
    "flag_days": (365, "assumed: flags and their vectors kept a year (no setting limits them)"),
    "purged_post_ratio": (0.25, "assumed size of a purged post (text, raw, media emptied)"),
    "shard_target_gb": (30.0, "Elasticsearch 'Size your shards': shards of 10-50 GB"),
    "analysts": (50, "issue #13"),
    "pages_per_analyst_min": (3.0, "assumed: a page every 20 s while reviewing"),
    "heap_fraction": (0.5, "Elasticsearch heap guidance: at most half the RAM, under ~31 GB"),
}


def _fixture_raws() -> dict[Platform, list[dict[str, Any]]]:
    """Recorded platform payloads (tests/fixtures/platforms), one item per post, by platform."""

    def load(name: str) -> Any:
        return json.loads((FIXTURES / name).read_text(encoding="utf-8"))

    meta = load("meta_content_library_export.json")
    tiktok = load("tiktok_video_query_page1.json")["data"]
    return {
        Platform.X: load("x_user_tweets_page1.json")["data"],
        Platform.MASTODON: load("mastodon_statuses.json"),
        Platform.BLUESKY: load("bluesky_author_feed_page1.json")["feed"],
        Platform.TIKTOK: tiktok["videos"] if isinstance(tiktok, dict) else tiktok,
        Platform.YOUTUBE: load("youtube_videos.json")["items"],
        Platform.FACEBOOK: meta["facebook_posts"],
        Platform.INSTAGRAM: meta["instagram_posts"],
    }


def _embedding(rng: np.random.Generator, dims: int) -> list[float]:
    """A unit float32 vector turned into Python floats, as the encoder's output is written."""
    v = rng.standard_normal(dims).astype(np.float32)
    v /= np.linalg.norm(v)
    return [float(x) for x in v]


def _flag(post: Post, rng: random.Random, origin: FlagOrigin) -> Flag:
    """A flag with the explanation a queued post gets (classifiers/model.py: 3 neighbours, view and
    cue signals, entity matches)."""
    category = rng.choice(CATEGORIES)
    at = post.collected_at + timedelta(minutes=5)
    entities = [
        EntityMatch(
            kind=rng.choice(("candidate", "hashtag", "ballot_number")),
            value=rng.choice(("nomor 2", "coblosnomor2", "rudy-seno", "isran-hadi")),
            matched=rng.choice(("#CoblosNomor2", "nomor dua", "Rudy Mas'ud")),
            election="pilkada-kaltim-2024",
        )
        for _ in range(rng.randint(0, 2))
    ]
    signals = [
        f"makna kalimat (model semantik {rng.random():.2f}) menaikkan skor",
        f"pola kata dan ejaan (model n-gram {rng.random():.2f}) menaikkan skor",
    ] + [
        f"ajakan memilih: «{rng.choice(('coblos', 'pilih', 'menangkan'))}» menaikkan skor"
        for _ in range(rng.randint(0, 2))
    ]
    signals += [f"kandidat: {e.value} («{e.matched}»)" for e in entities]
    neighbours = [
        Neighbour(
            text=synth.post_text(rng, 0.5),
            label=rng.randint(0, 1),
            category=rng.choice(list(Category)),
            similarity=round(rng.uniform(0.5, 0.95), 3),
        )
        for _ in range(3)
    ]
    p = round(rng.uniform(0.16, 1.0), 4)
    score = Score(
        probability=p,
        threshold=0.155,
        flagged=origin is FlagOrigin.CLASSIFIER,
        category=category,
        entities=entities,
        signals=signals,
        neighbours=neighbours,
        model_version="20261125-101010-1a2b3c4d",
        scored_at=at,
    )
    return Flag(
        id=post.id,
        post_id=post.id,
        origin=origin,
        score=score,
        category=category,
        status=rng.choices(list(FlagStatus), (50, 15, 15, 15, 5))[0],
        created_at=at,
        updated_at=at,
    )


def _chunked(actions: list[bulk.BulkAction]) -> tuple[int, int, float]:
    """(requests, body bytes, seconds) of sending ``actions`` as the adapter would: chunks at the
    default limits, each chunk encoded into one body."""
    requests = size = 0
    with timed() as took:
        for group in bulk.chunks(actions):
            body = bulk.encode(group)
            requests += 1
            size += len(body)
    return requests, size, took()


def measure(
    n_posts: int = 20_000, n_people: int = 5_000, flag_share: float = 0.1, dims: int = 384
) -> dict[str, Any]:
    """Bulk bodies of ``n_posts`` synthetic posts and their flags (``flag_share``), and the sizes of
    typical query bodies. Returns the measured figures (bytes, requests, seconds)."""
    rng = random.Random(5)
    vectors = np.random.default_rng(5)
    population: list[Person] = list(synth.people(n_people, seed=9))
    by_nip = {p.nip: p for p in population}
    sample = list(synth.posts(population, n_posts, seed=13, days=1))
    raws = _fixture_raws()
    posts_alias, flags_alias = mappings.alias_name("posts"), mappings.alias_name("flags")

    # Posts: documents, then chunked bodies (synthetic raw, then raw as recorded payloads).
    with timed() as took_docs:
        post_actions = [
            bulk.index_action(
                posts_alias,
                documents.doc_id(p.id),
                documents.post_document(p.with_evidence_hash()),
            )
            for p in sample
        ]
    post_doc_s = took_docs()
    post_req, post_bytes, post_body_s = _chunked(post_actions)
    recorded = []
    for p in sample:
        raw = dict(rng.choice(raws[p.platform]))
        recorded.append(p.model_copy(update={"raw": raw}).with_evidence_hash())
    rec_actions = [
        bulk.index_action(posts_alias, documents.doc_id(p.id), documents.post_document(p))
        for p in recorded
    ]
    rec_req, rec_bytes, _ = _chunked(rec_actions)

    # Flags: the insert-or-refresh upsert (full document + re-score part, both with the vector).
    flagged = [p for p in sample if rng.random() < flag_share]
    with timed() as took_flags:
        flag_actions = []
        for p in flagged:
            f = _flag(p, rng, FlagOrigin.CLASSIFIER)
            emb = _embedding(vectors, dims)
            facts = documents.FlagFacts.of(p, by_nip.get(p.person_nip or ""))
            flag_actions.append(
                bulk.insert_or_refresh_action(
                    flags_alias,
                    documents.doc_id(f.id),
                    documents.flag_document(f, facts, emb),
                    documents.rescore_document(f, emb),
                )
            )
    flag_doc_s = took_flags()
    flag_req, flag_bytes, flag_body_s = _chunked(flag_actions)
    one_vector = bulk.dumps(_embedding(vectors, dims))

    # What the storage estimate needs: mean bytes of the fields the index treats differently.
    def mean(values: list[int]) -> float:
        return statistics.fmean(values) if values else 0.0

    text_bytes = mean([len(p.text.encode()) for p in sample])
    unique_ids = mean([len(p.id) + len(p.native_id) + 64 + len(p.account_handle) for p in sample])
    post_source = mean([len(bulk.dumps(a.source).encode()) for a in post_actions])
    rec_source = mean([len(bulk.dumps(a.source).encode()) for a in rec_actions])
    flag_source = mean([len(bulk.dumps(a.source["upsert"]).encode()) for a in flag_actions])
    flag_source_no_vec = mean(
        [
            len(bulk.dumps({k: v for k, v in a.source["upsert"].items() if k != "embedding"}))
            for a in flag_actions
        ]
    )

    return {
        "posts": n_posts,
        "flags": len(flag_actions),
        "dims": dims,
        "post_body_bytes_per_post": post_bytes / n_posts,
        "post_body_bytes_per_post_recorded_raw": rec_bytes / n_posts,
        "post_source_bytes": post_source,
        "post_source_bytes_recorded_raw": rec_source,
        "post_text_bytes": text_bytes,
        "post_unique_keyword_bytes": unique_ids,
        "post_requests_per_10k": post_req * 10_000 / n_posts,
        "post_requests_per_10k_recorded_raw": rec_req * 10_000 / n_posts,
        "post_build_s_per_10k": (post_doc_s + post_body_s) * 10_000 / n_posts,
        "post_docs_s_per_10k": post_doc_s * 10_000 / n_posts,
        "flag_body_bytes_per_flag": flag_bytes / max(1, len(flag_actions)),
        "flag_source_bytes": flag_source,
        "flag_source_bytes_without_vector": flag_source_no_vec,
        "flag_vector_json_bytes": len(one_vector.encode()),
        "flag_requests_per_1k": flag_req * 1_000 / max(1, len(flag_actions)),
        "flag_actions_per_request": len(flag_actions) / max(1, flag_req),
        "flag_build_s_per_1k": (flag_doc_s + flag_body_s) * 1_000 / max(1, len(flag_actions)),
        "flag_vector_base64_bytes": 2 + 4 * math.ceil(4 * dims / 3),
        "flag_text_bytes": mean(
            [len(a.source["upsert"]["post_text"].encode()) for a in flag_actions]
        ),
        "query_bytes": query_sizes(dims, vectors),
    }


def query_sizes(dims: int, vectors: np.random.Generator) -> dict[str, int]:
    """Bytes of the typical bodies an analyst's page sends (queries.py)."""
    agency = synth.AGENCIES[0][0]
    filters = FlagFilter(
        statuses=frozenset({FlagStatus.NEW, FlagStatus.IN_REVIEW}),
        agencies=frozenset({agency}),
    )
    first = queries.queue_search(filters, q="coblos #CoblosNomor2", pit_id=PIT_ID)
    cursor = queries.QueueCursor(FlagSort.SCORE_DESC, (0.87, "x:1850000000000000001"), PIT_ID)
    later = queries.queue_search(filters, q="coblos #CoblosNomor2", cursor=cursor)
    by_status = queries.aggregate_body(FlagFilter(), by=AggregateBy.STATUS)
    by_agency_day = queries.aggregate_body(
        filters,
        by=AggregateBy.AGENCY,
        interval="day",
        time_field=TimeField.FLAGGED,
        tz="Asia/Makassar",
    )
    knn = queries.similar_body("x:1850000000000000001", _embedding(vectors, dims), k=5)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    flag = Flag(
        id="x:1",
        post_id="x:1",
        category=Category.DUKUNGAN,
        created_at=now,
        updated_at=now,
        score=Score(
            probability=0.9,
            threshold=0.155,
            flagged=True,
            category=Category.DUKUNGAN,
            model_version="m",
            scored_at=now,
        ),
    )
    decision = queries.review_update("x:1", flag, seq_no=41, primary_term=1).body

    def size(body: dict[str, Any]) -> int:
        return len(bulk.dumps(body).encode())

    return {
        "queue_first_page": size(first),
        "queue_next_page": size(later),
        "aggregate_by_status": size(by_status),
        "aggregate_by_agency_and_day": size(by_agency_day),
        "knn_similar_5": size(knn),
        "decision_update": size(decision),
    }


def sizing(m: dict[str, Any], a: dict[str, float] | None = None) -> dict[str, Any]:
    """The paper sizing from measured figures ``m`` and assumptions ``a`` (defaults: ASSUMPTIONS).
    Sizes are decimal (GB = 1e9 bytes)."""
    a = a or {k: v for k, (v, _) in ASSUMPTIONS.items()}
    dims = m["dims"]
    day_posts = a["day_posts"]
    day_flags = day_posts * a["flag_share"]

    # One post on disk (primary copy): compressed _source + index structures.
    post_index = (
        m["post_text_bytes"] * (2 * a["analysed_text_ratio"] + a["keyword_text_ratio"])
        + m["post_unique_keyword_bytes"] * a["unique_keyword_ratio"]
        + 14 * a["small_field_bytes"]
        + a["doc_overhead_bytes"]
    )
    post_disk = m["post_source_bytes"] * a["source_compression"] + post_index
    post_disk_rec = m["post_source_bytes_recorded_raw"] * a["source_compression"] + post_index
    # One flag: _source (with the vector as JSON text), text indexes, the vector itself.
    vector_ram = dims + 4 + a["hnsw_graph_bytes"]  # int8 + its correction float + graph
    vector_disk = 4 * dims + vector_ram  # the float vector is kept next to the int8 copy
    flag_index = (
        m["flag_text_bytes"] * (2 * a["analysed_text_ratio"] + a["keyword_text_ratio"])
        + 20 * a["small_field_bytes"]
        + 60 * a["unique_keyword_ratio"]
        + a["doc_overhead_bytes"]
    )
    # The compose file's Elasticsearch 9.1 keeps the vector's JSON text in _source; 9.2+ leaves
    # vectors out by default (index.mapping.exclude_source_vectors), which the second figure is.
    flag_disk = m["flag_source_bytes"] * a["source_compression"] + flag_index + vector_disk
    flag_disk_vector_excluded = (
        m["flag_source_bytes_without_vector"] * a["source_compression"] + flag_index + vector_disk
    )

    copies = 1 + a["replicas"]
    gb = 1e9
    day_primary = (day_posts * post_disk + day_flags * flag_disk) / gb
    day_primary_rec = (day_posts * post_disk_rec + day_flags * flag_disk) / gb
    # Steady state: posts keep their text for post_text_days, then shrink; flags kept flag_days.
    posts_steady = (
        day_posts * post_disk_rec * a["post_text_days"]
        + day_posts
        * post_disk_rec
        * a["purged_post_ratio"]
        * (a["flag_days"] - a["post_text_days"])
    ) / gb
    flags_steady = day_flags * a["flag_days"] * flag_disk / gb
    steady_total = (posts_steady + flags_steady) * copies * a["disk_headroom"]
    knn_ram = day_flags * a["flag_days"] * vector_ram * copies / gb

    window_s = a["collect_window_h"] * 3600
    post_rate = day_posts / window_s
    flag_rate = day_flags / window_s
    bulk_mb_s = (
        post_rate * m["post_body_bytes_per_post_recorded_raw"]
        + flag_rate * m["flag_body_bytes_per_flag"]
    ) / 1e6
    bulk_req_s = (
        post_rate * m["post_requests_per_10k_recorded_raw"] / 10_000
        + flag_rate * m["flag_requests_per_1k"] / 1_000
    )

    pages_s = a["analysts"] * a["pages_per_analyst_min"] / 60
    # A page: half queue pages (open PIT + search), 40 % a flag with its similar flags (get, kNN,
    # events), 10 % a decision (conditional update + event); dashboards add aggregations.
    requests_per_page = 0.5 * 2 + 0.4 * 3 + 0.1 * 2
    return {
        "day_flags": day_flags,
        "post_disk_bytes": post_disk,
        "post_disk_bytes_recorded_raw": post_disk_rec,
        "flag_disk_bytes": flag_disk,
        "flag_disk_bytes_vector_excluded_from_source": flag_disk_vector_excluded,
        "steady_flags_primary_gb_vector_excluded": day_flags
        * a["flag_days"]
        * flag_disk_vector_excluded
        / gb,
        "vector_ram_bytes": vector_ram,
        "day_primary_gb": day_primary,
        "day_primary_gb_recorded_raw": day_primary_rec,
        "day_with_replica_gb": day_primary_rec * copies,
        "steady_posts_primary_gb": posts_steady,
        "steady_flags_primary_gb": flags_steady,
        "steady_disk_total_gb": steady_total,
        "steady_disk_per_node_gb": steady_total / 3,
        "posts_shards_per_month": max(
            1, math.ceil(day_posts * post_disk_rec * 30 / gb / a["shard_target_gb"])
        ),
        "posts_primary_shards_steady": max(1, math.ceil(posts_steady / a["shard_target_gb"])),
        "flags_primary_shards": max(1, math.ceil(flags_steady / a["shard_target_gb"])),
        "knn_offheap_ram_total_gb": knn_ram,
        "knn_offheap_ram_per_node_gb": knn_ram / 3,
        "index_posts_per_s": post_rate,
        "index_flags_per_s": flag_rate,
        "bulk_mb_per_s": bulk_mb_s,
        "bulk_requests_per_s": bulk_req_s,
        "analyst_pages_per_s": pages_s,
        "analyst_requests_per_s": pages_s * requests_per_page,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--flag-share", type=float, default=0.1)
    parser.add_argument("--dims", type=int, default=mappings.DEFAULT_EMBEDDING_DIMS)
    args = parser.parse_args()
    m = measure(args.posts, args.people, args.flag_share, args.dims)
    rounded = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()}
    report("elastic_bulk_and_queries", **rounded)
    extrapolated = {
        "posts_1m_body_gb": round(m["post_body_bytes_per_post"] * 1e6 / 1e9, 3),
        "posts_1m_body_gb_recorded_raw": round(
            m["post_body_bytes_per_post_recorded_raw"] * 1e6 / 1e9, 3
        ),
        "posts_1m_requests": round(m["post_requests_per_10k"] * 100),
        "posts_1m_build_s": round(m["post_build_s_per_10k"] * 100, 1),
        "flags_100k_body_gb": round(m["flag_body_bytes_per_flag"] * 1e5 / 1e9, 3),
        "flags_100k_requests": round(m["flag_requests_per_1k"] * 100),
        "flags_100k_build_s": round(m["flag_build_s_per_1k"] * 100, 1),
    }
    report("elastic_1m_posts_100k_flags", **extrapolated)
    s = sizing(m)
    report("elastic_sizing_3_nodes", **{k: round(v, 2) for k, v in s.items()})
    print(
        json.dumps(
            {
                "assumptions": {
                    k: {"value": v, "source": src} for k, (v, src) in ASSUMPTIONS.items()
                }
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
