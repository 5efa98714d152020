"""The web UI on a store split across backends, as an Elasticsearch deployment splits it: the
queue, posts and registry in one store, collection state (report receipts) and users in another.
Every page must work through the role methods alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from netra.domain.models import FlagStatus, Role
from netra.domain.settings import Settings
from netra.store.composed import compose
from netra.store.sqlite import SqliteStore
from tests import ui_seed
from tests.ui_http import csrf, sign_in


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    search, record = SqliteStore(tmp_path / "search.db"), SqliteStore(tmp_path / "record.db")
    store = compose(registry=search, posts=search, queue=search, state=record, access=record)
    ui_seed.fill(store)
    settings = Settings(db_path=tmp_path / "record.db", var_dir=tmp_path / "var")
    with TestClient(create_app(settings, store)) as test_client:
        sign_in(test_client, Role.SUPERVISOR)
        yield test_client
    search.close()
    record.close()


def test_every_page_works_on_a_composed_store(client: TestClient) -> None:
    queue = client.get("/ui?group=1")
    assert queue.status_code == 200 and "4 dugaan" in queue.text  # the campaign group
    item = client.get("/ui/flags/x:1001?status=new")
    assert item.status_code == 200 and "Rina Saputra" in item.text
    version = re.search(r'name="version" value="(\d+)"', item.text)
    assert version
    decided = client.post(
        "/ui/flags/x:1001/aksi?status=new",
        data={
            "action": "escalate",
            "version": version.group(1),
            "note": "cek",
            "csrf": csrf(item.text),
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303
    store = client.app.state.store  # type: ignore[attr-defined]
    assert store.get_flag("x:1001").status is FlagStatus.ESCALATED
    assert client.get("/ui/statistik").status_code == 200
    assert client.get("/ui/flags/x:1001/berkas").status_code == 200
    assert client.get("/ui/flags/x:1001/berkas.pdf").content.startswith(b"%PDF")
    assert client.get("/lapor").status_code == 200
