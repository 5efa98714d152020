"""The queue in a real browser: the 7-day warning, keyboard moves, bulk by filter with its count
first, campaign grouping, accessibility at desktop and tablet width."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from netra.domain.models import FlagStatus, Role
from tests import ui_seed
from tests.browser.conftest import Served, serious_accessibility_violations, shoot, sign_in


def test_the_queue_warns_of_old_items_and_moves_with_the_keys(page: Page, served: Served) -> None:
    sign_in(page, served, Role.ANALYST)
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrean dugaan")
    expect(page.get_by_test_id("total")).to_have_text("16 dugaan cocok")
    old = page.locator("tr", has_text="dilantik jadi pengurus DPC")
    expect(old.locator(".badge.warning")).to_have_text(re.compile("mendekati batas"))
    expect(old).to_contain_text("hari ke-6 dari 7")
    shoot(page, "queue")
    assert serious_accessibility_violations(page) == []

    rows = page.locator("[data-queue] tbody tr")
    page.locator("h1").click()  # focus on the page, not in a field
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "false")
    second = rows.nth(1).locator("[data-open]")
    expect(second).to_be_focused()
    page.keyboard.press("x")
    expect(rows.nth(1).locator("[data-select]")).to_be_checked()
    expect(page.locator("[data-selected-count]")).to_have_text("1 dipilih")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("j")
    href = second.get_attribute("href")
    assert href and href.startswith("/ui/flags/x:")
    page.keyboard.press("/")
    expect(page.get_by_label("Cari teks")).to_be_focused()
    page.keyboard.type("jk")  # typing in the search box moves nothing
    expect(page.get_by_label("Cari teks")).to_have_value("jk")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    page.locator("h1").click()  # focus leaves the row's link; Enter still opens the selection
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served.url}{href}")

    page.goto(f"{served.url}/ui")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")  # opens the second item, with the queue's query for "next"
    page.wait_for_url(f"{served.url}{href}")


def test_filters_and_select_all(page: Page, served: Served) -> None:
    sign_in(page, served, Role.SUPERVISOR)
    page.get_by_label("Kategori").select_option("dukungan")
    page.get_by_label("Status").select_option("new")
    page.get_by_role("button", name="Terapkan saringan").click()
    expect(page.get_by_test_id("total")).to_have_text("6 dugaan cocok")
    assert "category=dukungan" in page.url
    page.get_by_label("Pilih semua di halaman ini").check()
    expect(page.locator("[data-select]:checked")).to_have_count(6)
    expect(page.locator("[data-selected-count]")).to_have_text("6 dipilih")
    page.get_by_role("link", name="Mendekati batas 7 hari").click()
    expect(page.get_by_role("link", name="Mendekati batas 7 hari")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator(".badge.warning")).to_have_count(4)


def test_bulk_by_filter_shows_the_count_then_acts(page: Page, served: Served) -> None:
    sign_in(page, served, Role.ANALYST)
    page.goto(f"{served.url}/ui?view=batas")
    page.get_by_label("Tindakan", exact=True).select_option("claim")
    page.get_by_role("button", name=re.compile("Terapkan ke semua 4 yang cocok")).click()
    expect(page.get_by_test_id("count")).to_have_text("Tindakan ini akan mengenai 4 dugaan.")
    assert served.store.get_flag("x:1006").status is FlagStatus.NEW  # nothing yet
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Ya, terapkan ke 4 dugaan").click()
    expect(page.get_by_test_id("done")).to_have_text("Berhasil: 4 dugaan.")
    expect(page.get_by_test_id("failed")).to_have_count(0)
    assert served.store.get_flag("x:1006").assignees == [ui_seed.USERS[Role.ANALYST]]
    page.get_by_role("link", name="Kembali ke antrean").click()
    assert page.url.endswith("/ui?view=batas")


def test_campaigns_group_into_one_row_with_its_action(
    new_page: Callable[..., Page], served: Served
) -> None:
    page = new_page()
    sign_in(page, served, Role.ANALYST)
    page.get_by_label("Kelompokkan kampanye").check()
    page.get_by_role("button", name="Terapkan saringan").click()
    first = page.locator("[data-queue] tbody tr").first
    expect(first.get_by_test_id("group-size")).to_have_text("4 dugaan · 4 akun")
    expect(first).to_contain_text(ui_seed.CAMPAIGN_TEXT)
    expect(page.get_by_text(ui_seed.CAMPAIGN_TEXT, exact=True)).to_have_count(1)
    shoot(page, "queue-campaigns")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Tindakan", exact=True).select_option("dismiss")
    page.get_by_label("Alasan (untuk tolak)").select_option("duplicate")
    first.get_by_role("button", name=re.compile("Tindak kelompok ini")).click()
    expect(page.get_by_test_id("count")).to_have_text("Tindakan ini akan mengenai 4 dugaan.")
    page.get_by_role("button", name="Ya, terapkan ke 4 dugaan").click()
    expect(page.get_by_test_id("done")).to_have_text("Berhasil: 4 dugaan.")
    statuses = {served.store.get_flag(f"x:200{i}").status for i in range(4)}
    assert statuses == {FlagStatus.DISMISSED}

    tablet = new_page(768, 1024)
    sign_in(tablet, served, Role.ANALYST)
    expect(tablet.get_by_test_id("total")).to_have_text("16 dugaan cocok")
    shoot(tablet, "queue-tablet")
    assert serious_accessibility_violations(tablet) == []
    width = tablet.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, f"the page scrolls sideways at tablet width ({width}px)"

    dashboard = new_page()
    sign_in(dashboard, served, Role.DASHBOARD)
    expect(dashboard.get_by_test_id("total")).to_have_text("16 dugaan cocok")
    assert ui_seed.PEOPLE[0].name not in dashboard.content()
    dashboard.keyboard.press("j")  # rows without links are still selectable
    expect(dashboard.locator("[data-queue] tbody tr").first).to_have_attribute(
        "aria-selected", "true"
    )
    shoot(dashboard, "queue-dashboard")
    assert serious_accessibility_violations(dashboard) == []
