"""Airflow for the DAG tests: its home in a temp folder, the repository's dags/ as DAG folder,
no examples. Airflow reads its configuration when first imported, so the environment is set
here, when pytest imports this file, before any test module imports airflow."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dagruns import DAGS, REGISTRY, ROOT
from trained import model_copy

from collectors.fake.server import FakeServer
from netra.domain.settings import Settings
from netra.fake_platforms import start_fake_platforms
from netra.store.sqlite import SqliteStore

if "airflow" in sys.modules:
    raise RuntimeError("airflow was imported before tests/dags/conftest.py could configure it")
_HOME = tempfile.mkdtemp(prefix="netra-airflow-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ.update(
    {
        "AIRFLOW_HOME": _HOME,
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    }
)


@pytest.fixture(scope="session")
def airflow_db() -> Iterator[None]:
    """A fresh metadata database in AIRFLOW_HOME, with the pools from dags/pools.json."""
    from airflow.models.pool import Pool
    from airflow.utils import db

    db.initdb()
    for name, pool in json.loads((DAGS / "pools.json").read_text()).items():
        Pool.create_or_update_pool(
            name=name,
            slots=pool["slots"],
            description=pool["description"],
            include_deferred=pool["include_deferred"],
        )
    yield


@pytest.fixture(scope="session")
def dagbag(airflow_db: None) -> Any:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory, default_model_dir: Path) -> Path:
    """Shared by the runs of this module: a copy of the session's default model."""
    return model_copy(default_model_dir, tmp_path_factory.mktemp("models"))


@pytest.fixture()
def world(
    tmp_path: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[SqliteStore, FakeServer]]:
    """The demo registry in the embedded store and the fake platforms serving its accounts."""
    from netra.commands.registry import import_file

    settings = Settings()
    store = SqliteStore(settings.db_path)
    assert import_file(store, REGISTRY, dry_run=False, encoding=None) == 0
    server = start_fake_platforms(REGISTRY, ROOT / "data" / "corpus", posts_per_account=6, seed=5)
    monkeypatch.setenv("NETRA_PLATFORM_URL", server.url)
    monkeypatch.setenv("NETRA_HTTP_REQUESTS_PER_SECOND", "500")
    monkeypatch.setenv("NETRA_MODEL_DIR", str(model_dir))
    monkeypatch.setenv("NETRA_AUDIT_SAMPLE_RATE", "0.02")
    yield store, server
    server.stop()
    store.close()
