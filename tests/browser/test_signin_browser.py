"""Signing in and out in a real browser, and the sign-in page's accessibility."""

from __future__ import annotations

from playwright.sync_api import Page

from netra.domain.models import Role
from tests import ui_seed
from tests.browser.conftest import Served, serious_accessibility_violations, shoot, sign_in


def test_sign_in_with_a_typed_token_and_out_again(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/ui/masuk")
    shoot(page, "masuk")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Token API").fill("ntr_salah")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("alert").inner_text() == "Token tidak dikenal atau sudah dicabut."
    page.get_by_label("Token API").fill(ui_seed.TOKENS[Role.SUPERVISOR])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{served.url}/ui")
    assert page.get_by_test_id("user").inner_text() == ui_seed.USERS[Role.SUPERVISOR]
    assert "netra_session" not in page.evaluate("document.cookie")  # HttpOnly: scripts can't read it
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{served.url}/ui/masuk?keluar=1")
    assert page.get_by_role("status").inner_text() == "Anda sudah keluar."


def test_the_printed_link_signs_in_and_leaves_no_token_in_the_address_bar(
    page: Page, served: Served
) -> None:
    sign_in(page, served, Role.ANALYST)
    assert ui_seed.TOKENS[Role.ANALYST] not in page.url
    page.go_back()  # the sign-in page as the history keeps it: without the token either
    assert ui_seed.TOKENS[Role.ANALYST] not in page.url


def test_english_switch_and_shortcut_help(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/ui/masuk")
    page.get_by_label("Bahasa").select_option("en")
    page.get_by_role("button", name="Terapkan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert page.locator("html").get_attribute("lang") == "en"
    sign_in(page, served, Role.ANALYST)
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog")
    assert help_dialog.is_visible() and "Keyboard shortcuts" in help_dialog.inner_text()
    page.keyboard.press("Escape")
    assert not help_dialog.is_visible()
