"""The statistics page and the printable dossier in a real browser: charts drawn (bars of real
size), filters applied from the form, accessibility at desktop and tablet width; the dossier
printed to PDF by chromium itself, its print stylesheet, the print button and the PDF download."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from netra.domain.models import Role
from tests.browser.conftest import (
    SCREENSHOTS,
    Served,
    serious_accessibility_violations,
    shoot,
    sign_in,
)


def bar_sizes(page: Page, chart: str, side: str) -> list[float]:
    """Rendered sizes (px) of one chart's bars: ``side`` is "width" or "height"."""
    return [
        box[side]
        for box in (
            bar.bounding_box() for bar in page.locator(f'svg[data-chart="{chart}"] rect.bar').all()
        )
        if box
    ]


def test_statistics_charts_render_and_filter(
    page: Page, served: Served, new_page: Callable[..., Page]
) -> None:
    sign_in(page, served, Role.SUPERVISOR)
    page.goto(f"{served.url}/ui/statistik")
    assert page.get_by_role("heading", level=1).inner_text() == "Statistik dugaan"
    charts = page.locator('svg[role="img"]')
    assert charts.count() >= 10
    for index in range(charts.count()):
        assert charts.nth(index).is_visible()
    # columns per day and bars per category have real size, the largest the longest
    days = bar_sizes(page, "per-hari", "height")
    assert len(days) == 30 and max(days) > 50 and sum(1 for h in days if h > 0) >= 3
    categories = bar_sizes(page, "kategori", "width")
    assert len(categories) == 7 and max(categories) > 100
    assert page.locator('svg[data-chart="umur"] rect.bar.warn').count() == 3  # days 5–7 of the clock
    # the numbers behind a chart are one click away
    page.get_by_text("Tabel data: Menurut kategori").click()
    row = page.locator('table[data-table="kategori"] tr', has_text="Dukungan/ajakan memilih")
    assert row.locator("td").inner_text() == "9"
    shoot(page, "stats")
    assert serious_accessibility_violations(page) == []

    # filters from the form: the numbers follow
    assert page.get_by_test_id("user").is_visible()
    page.get_by_role("group", name="Kategori").get_by_label("Dukungan/ajakan memilih").check()
    page.get_by_role("button", name="Terapkan filter").click()
    page.wait_for_url("**/ui/statistik?*category=dukungan*")
    assert page.locator('[data-figure="total"]').inner_text() == "9"
    assert (
        page.get_by_role("group", name="Kategori")
        .get_by_label("Dukungan/ajakan memilih")
        .is_checked()
    )

    tablet = new_page(768, 1024)
    sign_in(tablet, served, Role.DASHBOARD)
    tablet.goto(f"{served.url}/ui/statistik")
    assert tablet.get_by_test_id("reviewers-hidden").is_visible()
    assert tablet.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert max(bar_sizes(tablet, "instansi", "width")) > 100
    shoot(tablet, "stats-tablet")
    assert serious_accessibility_violations(tablet) == []


def test_dossier_prints_and_downloads(page: Page, served: Served) -> None:
    sign_in(page, served, Role.ANALYST)
    page.goto(f"{served.url}/ui/flags/x:1010/berkas")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Berkas rujukan dugaan ketidaknetralan ASN"
    )
    card = page.get_by_test_id("post-card")
    assert "Sudah saatnya ganti gubernur." in card.inner_text()
    assert page.get_by_test_id("statement").is_visible()
    shoot(page, "dossier")
    assert serious_accessibility_violations(page) == []

    # the print button calls the browser's print (stubbed here: headless has no dialog)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("window.printed") == 1

    # on paper: no navigation, no buttons; the dossier itself stays
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.get_by_role("button", name="Cetak").is_visible()
    assert page.get_by_role("heading", name="Bukti").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    printed = SCREENSHOTS / "dossier-print.pdf"
    page.pdf(path=str(printed), format="A4", print_background=True)
    data = printed.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = info.value
    assert download.suggested_filename == "berkas-x-1010.pdf"
    path = download.path()
    assert path is not None
    body = path.read_bytes()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")


def test_undecided_and_dashboard_dossiers_are_refused_in_words(
    page: Page, served: Served, new_page: Callable[..., Page]
) -> None:
    sign_in(page, served, Role.ANALYST)
    answer = page.goto(f"{served.url}/ui/flags/x:1001/berkas")
    assert answer is not None and answer.status == 409
    assert "Status item ini: baru." in page.get_by_role("alert").inner_text()
    assert serious_accessibility_violations(page) == []
    dashboard = new_page()
    sign_in(dashboard, served, Role.DASHBOARD)
    answer = dashboard.goto(f"{served.url}/ui/flags/x:1010/berkas")
    assert answer is not None and answer.status == 403
    assert "Peran Anda tidak boleh" in dashboard.get_by_role("alert").inner_text()
