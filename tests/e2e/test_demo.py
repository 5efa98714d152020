"""`netra demo` as a user runs it: a real process that imports, collects over loopback, scores,
then serves the API on a real port; a client uses a printed token."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from trained import model_copy

from tests.ui_http import post_sign_in

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_runs_the_main_job_and_serves_the_api(tmp_path: Path, default_model_dir: Path) -> None:
    port = free_port()
    model_copy(default_model_dir, tmp_path / "models")  # training itself is tested elsewhere
    env = {
        **os.environ,
        "NETRA_DB_PATH": str(tmp_path / "demo.db"),
        "NETRA_DATA_DIR": str(ROOT / "data"),
        "NETRA_VAR_DIR": str(tmp_path / "var"),
        "NETRA_MODEL_DIR": str(tmp_path / "models"),
        "NETRA_API_PORT": str(port),
        "PYTHONUNBUFFERED": "1",
        "COLUMNS": "200",
    }
    log = tmp_path / "demo.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "netra.cli", "demo"],
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        text = log.read_text()
        assert health is not None and health.status_code == 200, text[-3000:]
        assert "60 ASN" in text and "entered the review queue as dugaan" in text
        tokens = dict(
            re.findall(
                r"^\s+(analyst|supervisor|admin|dashboard)\s+Authorization: Bearer (\S+)",
                text,
                re.M,
            )
        )
        assert set(tokens) == {"analyst", "supervisor", "admin", "dashboard"}
        queue = httpx.get(
            f"{url}/api/v1/flags", headers={"Authorization": f"Bearer {tokens['analyst']}"}
        ).json()
        assert queue["total"] > 0 and queue["items"][0]["person"]["nip"]
        hidden = httpx.get(
            f"{url}/api/v1/flags", headers={"Authorization": f"Bearer {tokens['dashboard']}"}
        ).json()
        assert "nip" not in hidden["items"][0]["person"]
        assert httpx.get(f"{url}/docs").status_code == 200
        digests = list((tmp_path / "var" / "digests").glob("*/all.html"))
        assert len(digests) == 1 and "dugaan baru" in digests[0].read_text()
        supervisor = {"Authorization": f"Bearer {tokens['supervisor']}"}
        day = digests[0].parent.name
        today = httpx.get(
            f"{url}/api/v1/digests/{day}", params={"format": "json"}, headers=supervisor
        ).json()
        assert today["new_total"] == queue["total"]  # the whole demo queue arrived today
        links = dict(
            re.findall(
                r"^\s+(analyst|supervisor|admin|dashboard)\s+(http\S+/ui/masuk#token=\S+)$",
                text,
                re.M,
            )
        )
        assert set(links) == set(tokens)
        assert links["analyst"].endswith(tokens["analyst"])  # the page posts the fragment's token
        with httpx.Client(base_url=url) as browser:
            signed = post_sign_in(browser, tokens["analyst"])
            assert signed.status_code == 303 and signed.headers["location"] == "/ui"
            queue_page = browser.get("/ui")
            assert queue_page.status_code == 200 and "dugaan cocok" in queue_page.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
