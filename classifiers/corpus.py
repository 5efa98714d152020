"""The labelled corpus: loading, the text a model sees, and the family-grouped split.

Each example belongs to a *family* (one situation written several ways); whole families go to one
split, so paraphrases never leak from training into validation or test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from netra.domain.csvcells import restore_cell
from netra.domain.models import Category, Stance

SPLITS = ("train", "validation", "test")
# Where an example comes from: written for the project, or a real public post (its ``source``
# names the published data set, which is what a held-out evaluation leaves out whole).
SYNTHETIC, REAL = "synthetic", "real"
TRAIN_SHARE, VALIDATION_SHARE = 70, 15  # percent; the rest is test


class CorpusError(ValueError):
    """A labelled file cannot be used; the message says which file, line and field."""


@dataclass(frozen=True)
class Example:
    text: str
    label: int
    category: Category = Category.NETRAL
    stance: Stance = Stance.NONE
    media: str | None = None
    family: str = ""
    trap: str | None = None
    kind: str = "post"
    source: str = ""
    origin: str = SYNTHETIC

    @property
    def is_real(self) -> bool:
        return self.origin == REAL

    @property
    def model_text(self) -> str:
        return model_text(self.text, [self.media] if self.media else [])


def model_text(text: str, media: Iterable[str] = ()) -> str:
    """What the classifier reads for a post: its text, then its media descriptions."""
    described = [m for m in media if m]
    return text if not described else f"{text} [foto: {' | '.join(described)}]"


def split_of(family: str) -> str:
    bucket = int(hashlib.sha1(family.encode("utf-8")).hexdigest(), 16) % 100
    if bucket < TRAIN_SHARE:
        return "train"
    return "validation" if bucket < TRAIN_SHARE + VALIDATION_SHARE else "test"


def _example(row: dict, where: str, source: str) -> Example:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' is missing or empty")
    label_raw = row.get("label")
    try:
        label = int(str(label_raw).strip())
    except (TypeError, ValueError) as exc:
        raise CorpusError(f"{where}: 'label' must be 0 or 1, got {label_raw!r}") from exc
    if label not in (0, 1):
        raise CorpusError(f"{where}: 'label' must be 0 or 1, got {label_raw!r}")
    default_category = Category.NETRAL if label == 0 else Category.DUKUNGAN
    try:
        category = Category(row.get("category") or default_category)
        stance = Stance(row.get("stance") or Stance.NONE)
    except ValueError as exc:
        raise CorpusError(f"{where}: {exc}") from exc
    if (label == 0) != (category is Category.NETRAL):
        raise CorpusError(f"{where}: label {label} contradicts category {category.value}")
    family = str(row.get("family") or row.get("id") or where)
    return Example(
        text=text,
        label=label,
        category=category,
        stance=stance,
        media=row.get("media") or None,
        family=family,
        trap=row.get("trap") or None,
        kind=row.get("kind") or "post",
        source=str(row.get("source") or source),
        origin=REAL if row.get("origin") == REAL else SYNTHETIC,
    )


def read_labelled(path: Path) -> list[Example]:
    """Read a CSV or JSONL file with at least ``text`` and ``label`` (1 partisan, 0 not).
    Raises CorpusError naming the file, line and field on the first problem."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    if not content.strip():
        raise CorpusError(f"{path}: empty file")
    examples = list(_rows(path, content))
    if not examples:
        raise CorpusError(f"{path}: no labelled rows")
    return examples


def _rows(path: Path, content: str) -> Iterator[Example]:
    source = path.stem
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or content.lstrip().startswith("{"):
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{number}: malformed JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise CorpusError(f"{path}:{number}: expected a JSON object")
            yield _example(row, f"{path}:{number}", source)
        return
    reader = csv.DictReader(io.StringIO(content, newline=""))
    if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
        raise CorpusError(f"{path}: a CSV needs the columns 'text' and 'label'")
    for row in reader:
        cells = {k: restore_cell(v) if isinstance(v, str) else v for k, v in row.items()}
        yield _example(cells, f"{path}:{reader.line_num}", source)


def load_corpus(folder: Path) -> list[Example]:
    """Every ``*.jsonl`` under the corpus folder (recursively), in a stable order."""
    files = sorted(folder.rglob("*.jsonl"))
    if not files:
        raise CorpusError(f"{folder}: no labelled *.jsonl files")
    examples: list[Example] = []
    for path in files:
        examples.extend(read_labelled(path))
    return examples


def corpus_hash(examples: Iterable[Example]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        digest.update(json.dumps([e.text, e.media, e.label, e.category.value, e.family]).encode())
    return digest.hexdigest()[:16]
