"""Imports point down: the domain at the bottom, collectors, classifiers and the stores on it,
the application (pipeline, commands, digest, review) above them, the API and the DAGs on top.
A newcomer can tell the floor of a module by its folder; this test keeps it so."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each floor, and the Netra packages its modules may import (besides their own package).
FLOORS: dict[str, tuple[str, ...]] = {
    "netra/domain": (),
    "collectors": ("netra.domain",),
    "classifiers": ("netra.domain",),
    "netra/store": ("netra.domain",),
}
# Top-level packages nothing under netra/ may import: they stand on it.
ABOVE_THE_CORE = ("api", "dags")
PROJECT_PACKAGES = ("netra", "collectors", "classifiers", "api", "dags")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "netra":  # from netra import pipeline → netra.pipeline
                found += [(node.lineno, f"netra.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def _project_import(module: str) -> bool:
    return module.split(".")[0] in PROJECT_PACKAGES


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("floor", sorted(FLOORS))
def test_each_floor_imports_only_what_lies_below_it(floor: str) -> None:
    own = floor.replace("/", ".")
    allowed = (own, *FLOORS[floor])
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((ROOT / floor).rglob("*.py"))
        for line, module in imported_modules(path)
        if _project_import(module) and not any(_within(module, p) for p in allowed)
    ]
    assert not wrong, "imports pointing up or sideways:\n" + "\n".join(wrong)


def test_nothing_in_the_core_imports_the_api_or_the_dags() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((ROOT / "netra").rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] in ABOVE_THE_CORE
    ]
    assert not wrong, "the core imports what stands on it:\n" + "\n".join(wrong)


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from api.app import create_app\n    import netra.cli\n")
    assert imported_modules(module) == [(2, "api.app"), (3, "netra.cli")]
