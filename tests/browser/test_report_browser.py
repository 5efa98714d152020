"""The public report form in a real browser: a member of the public (never signed in) reports a
post with a screenshot, keeps the receipt number and follows the report up; the next scoring run
puts it in the analysts' queue."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import numpy as np
from playwright.sync_api import Page, expect

from netra import pipeline
from netra.domain.models import Category, FlagOrigin, Score
from netra.store.base import FlagFilter
from tests.browser.conftest import Served, serious_accessibility_violations, shoot, sign_in

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
REPORTED = "https://x.com/dedikur/status/1858000000000000002"


class NothingSuspect:
    """A scorer that finds nothing partisan: only reports reach the queue (they always do)."""

    artifact = SimpleNamespace(version="browser-nothing-suspect")

    def score(self, posts: list[Any], explain_unflagged: object = True) -> list[SimpleNamespace]:
        now = datetime.now(UTC)
        score = Score(
            probability=0.05,
            threshold=0.5,
            flagged=False,
            category=Category.NETRAL,
            model_version=self.artifact.version,
            scored_at=now,
        )
        return [SimpleNamespace(score=score, embedding=np.zeros(3)) for _ in posts]


def test_the_public_reports_a_post_and_follows_it_up(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/lapor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporkan dugaan ketidaknetralan ASN")
    assert page.get_by_test_id("user").count() == 0  # nobody is signed in
    shoot(page, "lapor")
    assert serious_accessibility_violations(page) == []

    screenshot = page.get_by_label("Tangkapan layar")
    # A text file named like an image is refused before anything is sent.
    screenshot.set_input_files(
        {"name": "bukti.png", "mimeType": "image/png", "buffer": b"bukan gambar"}
    )
    expect(page.locator("#tangkapan-check")).to_contain_text("bukan gambar PNG, JPEG, atau WebP")
    assert screenshot.input_value() == ""

    page.get_by_label("Tautan unggahan").fill(REPORTED)
    screenshot.set_input_files({"name": "bukti.png", "mimeType": "image/png", "buffer": PNG})
    expect(page.locator("#tangkapan-pratinjau")).to_be_visible()
    expect(page.locator("#tangkapan-check")).to_be_hidden()
    page.get_by_label("Catatan").fill("Dilihat di beranda pagi ini.")
    page.get_by_label("Kontak Anda").fill("0812-3456-7890")
    page.get_by_role("button", name="Kirim laporan").click()

    page.wait_for_url(re.compile(r"/lapor/terima\?nomor=LPR-"))
    number = page.get_by_test_id("nomor").inner_text()
    assert re.fullmatch(r"LPR-[A-Z2-7]{10}", number)
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan diterima")
    expect(page.locator("main ol.steps")).to_contain_text("dugaan, bukan putusan")
    shoot(page, "lapor-terima")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Cek status laporan ini").click()
    expect(page.get_by_role("status")).to_contain_text("Diterima: menunggu masuk antrean analis.")
    shoot(page, "lapor-status")
    assert serious_accessibility_violations(page) == []

    # The next scoring run queues the report, as it queues `netra report`'s.
    pipeline.score_and_flag(served.store, NothingSuspect())  # type: ignore[arg-type]
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("Sedang ditinjau oleh analis Bawaslu.")

    record = served.store.report_receipt(number)
    assert record is not None
    queued = served.store.search_flags(FlagFilter(origins=frozenset({FlagOrigin.PUBLIC_REPORT})))
    assert [hit.flag.id for hit in queued.items] == [record.post_id]
    sign_in(page, served)  # an analyst now
    answer = page.goto(f"{served.url}/ui?origin=public_report")
    if answer is not None and answer.ok:  # the queue page is there: the report is listed in it
        expect(page.locator(f'a[href*="{record.post_id.split(":")[1]}"]').first).to_be_visible()


def test_the_form_at_tablet_width_and_a_wrong_address(
    new_page: Callable[..., Page], served: Served
) -> None:
    page = new_page(768, 1024)
    page.goto(f"{served.url}/lapor")
    shoot(page, "lapor-tablet")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Tautan unggahan").fill("x.com/dedikur")
    page.get_by_role("button", name="Kirim laporan").click()
    summary = page.locator("#lapor-errors")
    expect(summary).to_contain_text("diawali http:// atau https://")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Tautan unggahan")).to_have_attribute("aria-invalid", "true")
    assert serious_accessibility_violations(page) == []
