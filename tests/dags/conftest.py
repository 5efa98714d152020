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

DAGS = Path(__file__).resolve().parents[2] / "dags"

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
