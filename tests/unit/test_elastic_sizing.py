"""The Elasticsearch sizing benchmark's core runs on a small input (bench/elastic_sizing.py)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_sizing_measures_real_bodies_on_a_small_sample() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import elastic_sizing
    finally:
        sys.path.remove(str(BENCH))
    m = elastic_sizing.measure(n_posts=200, n_people=50, flag_share=0.2, dims=8)
    assert m["flags"] > 0
    assert m["post_body_bytes_per_post"] > m["post_text_bytes"] > 0
    assert m["flag_body_bytes_per_flag"] > m["flag_source_bytes"] > m["flag_vector_json_bytes"]
    assert m["post_requests_per_10k"] >= 20  # 500 actions a request at most
    s = elastic_sizing.sizing(m)
    assert s["vector_ram_bytes"] > 8 and s["steady_disk_per_node_gb"] > 0
