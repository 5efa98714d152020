"""`netra dashboards import` against a recorded-response server on 127.0.0.1: a real HTTP server
that keeps the multipart request and answers with bodies shaped like Kibana's saved-objects
import API (a success, a per-object error, a refusal). Not a real Kibana."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netra import cli
from netra.commands.common import EXIT_FAILED, EXIT_REJECTED, EXIT_UNREADABLE
from netra.commands.dashboards import SAVED_OBJECTS

SUCCESS = {
    "success": True,
    "successCount": 2,
    "successResults": [
        {
            "type": "index-pattern",
            "id": "netra-flags",
            "meta": {"title": "netra-flags"},
            "overwrite": True,
        },
        {
            "type": "dashboard",
            "id": "netra-dugaan",
            "meta": {"title": "Netra – dugaan netralitas ASN"},
            "overwrite": True,
        },
    ],
    "warnings": [],
}
PARTLY = {
    "success": False,
    "successCount": 1,
    "successResults": [
        {"type": "index-pattern", "id": "netra-flags", "meta": {"title": "netra-flags"}},
    ],
    "errors": [
        {
            "id": "netra-umur-antrean",
            "type": "lens",
            "meta": {"title": "Umur antrean terbuka (batas lapor 7 hari)"},
            "error": {
                "type": "missing_references",
                "references": [{"type": "index-pattern", "id": "netra-flags-semua"}],
            },
        },
        {"id": "netra-x", "type": "lens", "title": "Lain", "error": {"type": "unsupported_type"}},
    ],
    "warnings": [],
}
UNAUTHORISED = {"statusCode": 401, "error": "Unauthorized", "message": "Unauthorized"}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    parts: dict[str, tuple[str | None, str | None, bytes]]  # name → (filename, type, content)


@dataclass
class Kibana:
    url: str
    answer: tuple[int, dict[str, Any]] = (200, SUCCESS)
    requests: list[Recorded] = field(default_factory=list)


@contextmanager
def recorded_response_server() -> Iterator[Kibana]:
    kibana = Kibana(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
            message = BytesParser(policy=HTTP).parsebytes(head + body)
            parts = {}
            if message.is_multipart():
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    parts[str(name)] = (
                        part.get_filename(),
                        part.get_content_type(),
                        part.get_payload(decode=True),
                    )
            kibana.requests.append(
                Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, parts)
            )
            status, answer = kibana.answer
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    kibana.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield kibana
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def kibana(monkeypatch: pytest.MonkeyPatch) -> Iterator[Kibana]:
    for name in (
        "NETRA_ES_API_KEY",
        "NETRA_KIBANA_API_KEY",
        "NETRA_KIBANA_USERNAME",
        "NETRA_KIBANA_PASSWORD",
        "NETRA_KIBANA_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    with recorded_response_server() as server:
        yield server


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli.app, ["dashboards", "import", *args])


def test_the_saved_objects_are_posted_as_multipart_with_the_xsrf_header(kibana: Kibana) -> None:
    result = invoke("--kibana-url", kibana.url + "/", "--api-key", "a2V5OnNlY3JldA==")
    assert result.exit_code == 0, result.output
    (request,) = kibana.requests
    assert request.path == "/api/saved_objects/_import?overwrite=true"
    assert request.headers["kbn-xsrf"]
    assert request.headers["authorization"] == "ApiKey a2V5OnNlY3JldA=="
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    filename, _, content = request.parts["file"]
    assert filename == "netra.ndjson" and content == SAVED_OBJECTS.read_bytes()
    assert "ok      index-pattern netra-flags (netra-flags)" in result.output
    assert "2 objects imported, 0 failed" in result.output


def test_a_space_and_basic_auth(kibana: Kibana) -> None:
    result = invoke(
        "--kibana-url",
        kibana.url,
        "--space",
        "bawaslu",
        "--username",
        "netra",
        "--password",
        "rahasia",
    )
    assert result.exit_code == 0, result.output
    (request,) = kibana.requests
    assert request.path == "/s/bawaslu/api/saved_objects/_import?overwrite=true"
    assert request.headers["authorization"] == "Basic bmV0cmE6cmFoYXNpYQ=="


def test_the_es_api_key_from_settings_is_used_when_no_credentials_are_given(
    kibana: Kibana, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRA_ES_API_KEY", "ZnJvbTpzZXR0aW5ncw==")
    monkeypatch.setenv("NETRA_KIBANA_URL", kibana.url)
    result = invoke()
    assert result.exit_code == 0, result.output
    assert kibana.requests[0].headers["authorization"] == "ApiKey ZnJvbTpzZXR0aW5ncw=="


def test_per_object_errors_are_reported_and_the_exit_code_says_rejected(kibana: Kibana) -> None:
    kibana.answer = (200, PARTLY)
    result = invoke("--kibana-url", kibana.url)
    assert result.exit_code == EXIT_REJECTED
    assert (
        "failed  lens netra-umur-antrean (Umur antrean terbuka (batas lapor 7 hari)):"
        " missing_references: index-pattern/netra-flags-semua" in result.output
    )
    assert "failed  lens netra-x (Lain): unsupported_type" in result.output
    assert "1 objects imported, 2 failed" in result.output


def test_a_refusal_is_an_error_with_kibanas_message(kibana: Kibana) -> None:
    kibana.answer = (401, UNAUTHORISED)
    result = invoke("--kibana-url", kibana.url, "--api-key", "salah")
    assert result.exit_code == EXIT_FAILED
    assert "Kibana answered HTTP 401: Unauthorized" in result.output


def test_an_unreachable_kibana_and_a_missing_file(kibana: Kibana, tmp_path: Path) -> None:
    result = invoke("--kibana-url", "http://127.0.0.1:9")
    assert result.exit_code == EXIT_FAILED and "Kibana not reached" in result.output
    result = invoke("--kibana-url", kibana.url, "--file", str(tmp_path / "tidak-ada.ndjson"))
    assert result.exit_code == EXIT_UNREADABLE and not kibana.requests
