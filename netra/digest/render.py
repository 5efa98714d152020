"""The digest as an e-mail's two parts (HTML and plain text) and as files under var/digests/."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from netra.digest.chart import chart_png
from netra.digest.content import Digest
from netra.domain.labels import label

CHART_CID = "grafik-14-hari"
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
def tanggal(day: date, with_weekday: bool = True) -> str:
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{DAYS[day.weekday()]}, {text}" if with_weekday else text


@dataclass(frozen=True)
class RenderedDigest:
    digest: Digest
    subject: str
    text: str
    html_mail: str  # the chart referenced as cid:CHART_CID
    html_file: str  # the chart inlined, so the file stands alone
    chart: bytes


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("netra.digest", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["category"] = lambda key: label("category", key)
    env.filters["platform"] = lambda key: label("platform", key)
    env.filters["status"] = lambda key: label("status", key)
    env.filters["tanggal"] = tanggal
    return env


def subject(digest: Digest) -> str:
    return (
        f"[Netra] Ringkasan harian {tanggal(digest.day, with_weekday=False)}"
        f" — {digest.region_name}: {digest.new_total} dugaan baru,"
        f" {digest.overdue} lewat batas {digest.deadline_days} hari"
    )


def render(digest: Digest) -> RenderedDigest:
    env = _environment()
    zone = ZoneInfo(digest.timezone)

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%d/%m %H:%M")

    chart = chart_png(digest.chart)
    inline = "data:image/png;base64," + base64.b64encode(chart).decode("ascii")
    title = subject(digest)
    values = {"d": digest, "subject": title, "local": local}
    html = env.get_template("digest.html")
    return RenderedDigest(
        digest=digest,
        subject=title,
        text=env.get_template("digest.txt").render(values),
        html_mail=html.render(values, chart_src=f"cid:{CHART_CID}"),
        html_file=html.render(values, chart_src=inline),
        chart=chart,
    )


def write_files(rendered: RenderedDigest, directory: Path) -> list[Path]:
    """``<dir>/<YYYY-MM-DD>/<region>.html|.txt|.json``; a re-run of the same day replaces them."""
    folder = directory / rendered.digest.day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    name = rendered.digest.region_code  # region codes contain dots: never use with_suffix here
    files = {
        folder / f"{name}.html": rendered.html_file,
        folder / f"{name}.txt": rendered.text,
        folder / f"{name}.json": json.dumps(
            rendered.digest.as_dict(), ensure_ascii=False, indent=1, default=str
        ),
    }
    for path, content in files.items():
        partial = path.parent / f"{path.name}.part"
        partial.write_text(content, encoding="utf-8")
        partial.replace(path)
    return list(files)
