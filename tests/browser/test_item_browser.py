"""The item page in a real browser: triage by keyboard alone, the dismiss dialog, a conflict
between two reviewers, the dashboard role refused, the tablet layout and accessibility."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from netra.domain.models import FlagStatus, Role
from tests import ui_seed
from tests.browser.conftest import Served, serious_accessibility_violations, shoot, sign_in

VIEW = "status=new"


def next_href(page: Page) -> str:
    href = page.locator('[data-key="j"]').get_attribute("href")
    assert href and href.endswith(f"?{VIEW}")
    return href


def landed_on(page: Page, served: Served, href: str, decided: str, action: str) -> None:
    """The page moved to ``href`` (the next item of the view) and says what was saved."""
    page.wait_for_url(re.compile(re.escape(f"{served.url}{href}&selesai={action}") + ".*"))
    expect(page.get_by_test_id("notice")).to_contain_text(f"{decided}:")


def test_three_items_triaged_by_keyboard_alone(page: Page, served: Served) -> None:
    sign_in(page, served, Role.ANALYST)
    page.goto(f"{served.url}/ui/flags/x:1001?{VIEW}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dugaan: Dukungan/ajakan memilih")
    expect(page.get_by_role("button", name="Konfirmasi (1)")).to_be_visible()
    shoot(page, "item")
    assert serious_accessibility_violations(page) == []
    store = served.store

    # 1: confirm. The note is required, so the key leads to it; Enter sends the decision.
    first, second = "x:1001", next_href(page).split("?")[0].removeprefix("/ui/flags/")
    target = next_href(page)
    page.keyboard.press("1")
    expect(page.get_by_label("Catatan konfirmasi (wajib)")).to_be_focused()
    page.keyboard.type("Ajakan memilih paslon nomor 1")
    page.keyboard.press("Enter")
    landed_on(page, served, target, first, "confirm")
    assert store.get_flag(first).status is FlagStatus.CONFIRMED  # type: ignore[union-attr]
    assert store.history(first)[-1].note == "Ajakan memilih paslon nomor 1"

    # 2: dismiss through the dialog: Esc cancels, then a reason with the arrows and Enter.
    third = next_href(page).split("?")[0].removeprefix("/ui/flags/")
    target = next_href(page)
    page.keyboard.press("2")
    dialog = page.get_by_role("dialog", name="Tolak dugaan ini")
    expect(dialog).to_be_visible()
    expect(page.get_by_label("Alasan penolakan")).to_be_focused()
    assert serious_accessibility_violations(page) == []
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Tolak (2)")).to_be_focused()
    page.keyboard.press("2")
    expect(page.get_by_label("Alasan penolakan")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Alasan penolakan")).to_have_value("not_asn_account")
    page.keyboard.press("Enter")
    landed_on(page, served, target, second, "dismiss")
    dismissed = store.history(second)[-1]
    assert (dismissed.action, dismissed.reason) == ("dismiss", "not_asn_account")
    expect(page.get_by_test_id("position")).to_contain_text("Item 1 dari")  # two left the view

    # 3: escalate, then the history of each shows it.
    target = next_href(page)
    page.keyboard.press("3")
    expect(page.get_by_label("Catatan eskalasi (wajib)")).to_be_focused()
    page.keyboard.type("Kampanye terkoordinasi, perlu supervisor")
    page.keyboard.press("Enter")
    landed_on(page, served, target, third, "escalate")
    assert store.get_flag(third).status is FlagStatus.ESCALATED  # type: ignore[union-attr]

    # the dismissed item has left the view; its history says why
    page.goto(f"{served.url}/ui/flags/{second}?{VIEW}")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("tolak")
    expect(history).to_contain_text("bukan akun ASN")
    expect(page.get_by_test_id("status")).to_have_text("ditolak")
    expect(page.get_by_test_id("position")).to_contain_text("tidak (lagi) ada")


def test_j_and_k_walk_the_view_and_a_shortcut_needs_no_mouse(page: Page, served: Served) -> None:
    sign_in(page, served, Role.ANALYST)
    page.goto(f"{served.url}/ui/flags/x:1001?{VIEW}")
    target = next_href(page)
    page.keyboard.press("j")
    page.wait_for_url(f"{served.url}{target}")
    page.keyboard.press("k")
    page.wait_for_url(f"{served.url}/ui/flags/x:1001?{VIEW}")
    page.keyboard.press("a")  # take it
    page.wait_for_url(re.compile(r".*/ui/flags/x:1001\?status=new&selesai=claim$"))
    expect(page.get_by_test_id("assignees")).to_have_text(ui_seed.USERS[Role.ANALYST])
    expect(page.get_by_test_id("status")).to_have_text("ditinjau")


def test_a_decision_made_meanwhile_is_a_conflict_to_decide_again(
    new_page: Callable[..., Page], served: Served
) -> None:
    analyst, supervisor = new_page(), new_page()
    sign_in(analyst, served, Role.ANALYST)
    sign_in(supervisor, served, Role.SUPERVISOR)
    for page in (analyst, supervisor):
        page.goto(f"{served.url}/ui/flags/x:1002?{VIEW}")
    supervisor.get_by_label("Catatan konfirmasi (wajib)").fill("Menyerang paslon 2")
    supervisor.get_by_role("button", name="Konfirmasi (1)").click()
    supervisor.wait_for_url(re.compile(r".*selesai=confirm.*"))

    analyst.get_by_label("Catatan konfirmasi (wajib)").fill("Serangan ke calon")
    analyst.get_by_role("button", name="Konfirmasi (1)").click()
    banner = analyst.get_by_test_id("conflict")
    expect(banner).to_contain_text("Dugaan ini sudah berubah sejak Anda membukanya")
    expect(banner).to_contain_text("Status: baru → dikonfirmasi")
    expect(banner).to_contain_text("Versi: 1 → 2")
    expect(banner).to_contain_text(ui_seed.USERS[Role.SUPERVISOR])
    expect(banner).to_contain_text("«Menyerang paslon 2»")
    expect(
        analyst.get_by_role("heading", name="Dugaan ini sudah berubah sejak Anda membukanya")
    ).to_be_focused()
    expect(analyst.get_by_test_id("version")).to_have_text("2")
    expect(analyst.get_by_role("button", name="Konfirmasi (1)")).to_have_count(0)
    shoot(analyst, "item-409")
    assert serious_accessibility_violations(analyst) == []

    # decide again on the current version: escalate the confirmed item
    analyst.get_by_label("Catatan eskalasi (wajib)").fill("Perlu rujukan segera")
    analyst.get_by_role("button", name="Eskalasi (3)").click()
    analyst.wait_for_url(re.compile(r".*selesai=escalate&butir=x%3A1002.*"))
    events = served.store.history("x:1002")
    assert [(e.actor, e.action) for e in events] == [
        (ui_seed.USERS[Role.SUPERVISOR], "confirm"),
        (ui_seed.USERS[Role.ANALYST], "escalate"),
    ]


def test_the_dashboard_role_is_refused_and_sees_no_one(
    new_page: Callable[..., Page], served: Served
) -> None:
    dashboard = new_page()
    sign_in(dashboard, served, Role.DASHBOARD)
    answer = dashboard.goto(f"{served.url}/ui/flags/x:1001?{VIEW}")
    assert answer is not None and answer.status == 403
    expect(dashboard.get_by_role("alert")).to_have_text(
        "Peran Anda tidak boleh membuka halaman ini."
    )
    content = dashboard.content()
    person = ui_seed.PEOPLE[0]
    for secret in (person.name, person.nip, "rina_sap", ui_seed.ITEMS[0].text[:20]):
        assert secret not in content
    assert serious_accessibility_violations(dashboard) == []

    tablet = new_page(768, 1024)
    sign_in(tablet, served, Role.ANALYST)
    tablet.goto(f"{served.url}/ui/flags/x:1003?{VIEW}")
    expect(tablet.get_by_test_id("person")).to_contain_text(ui_seed.PEOPLE[2].nip)
    # one column: the actions come right after the post, within the page's width
    post = tablet.locator(".item-post").bounding_box()
    side = tablet.locator(".item-side").bounding_box()
    assert post and side and side["y"] > post["y"] and side["x"] == post["x"]
    assert tablet.evaluate("document.documentElement.scrollWidth") <= 768
    shoot(tablet, "item-tablet")
    assert serious_accessibility_violations(tablet) == []
