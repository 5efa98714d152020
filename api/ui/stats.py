"""The statistics page (``/ui/statistik``): the queue's numbers as charts drawn on the server
(``api.ui.charts``), each with its data table, under the same filters as the queue.

Every signed-in role opens it. The dashboard role sees counts only: no reviewer names (the
throughput chart is left out) and no assignee filter. Numbers come from the store's aggregations,
the same ones the JSON API's ``/api/v1/stats`` serves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from api.ui import charts
from api.ui.filters import WARN_DAY, UiQuery, parse
from api.ui.render import ZONES, preferences, render
from api.ui.session import Session
from api.ui.text import add_words, translate
from netra.domain.labels import label, labels
from netra.domain.models import utcnow
from netra.review import OPEN
from netra.stats import quality, queue_summary
from netra.store.base import AggregateBy, Bucket, FlagFilter, Store

router = APIRouter()

DAY_CHOICES = (7, 14, 30, 90)
DEFAULT_DAYS = 30
MAX_DAYS = 180  # the per-day chart's longest span; a longer range shows its last days
TOP = 10
DECISIONS = ("confirm", "dismiss", "escalate")
# The words of each filter's field, for the messages about a bad value.
FIELD_WORDS = {
    "status": "stats.status",
    "category": "stats.category",
    "platform": "stats.platform",
    "origin": "stats.origin",
    "agency": "stats.agency",
    "region": "stats.region",
    "dari": "stats.from",
    "sampai": "stats.to",
    "hari": "stats.days",
    "score_min": "stats.score_min",
    "score_max": "stats.score_max",
    "sort": "stats.sort",
    "q": "stats.q",
    "view": "stats.view",
    "assignee": "stats.assignee",
}

add_words(
    {
        "stats.title": ("Statistik dugaan", "Statistics of suspected cases (dugaan)"),
        "stats.intro": (
            "Angka antrean menurut filter yang sama dengan antrean. Setiap grafik disertai"
            " tabel datanya.",
            "The queue's numbers under the same filters as the queue. Every chart comes with"
            " its data table.",
        ),
        "stats.filters": ("Filter", "Filters"),
        "stats.status": ("Status", "Status"),
        "stats.category": ("Kategori", "Category"),
        "stats.platform": ("Platform", "Platform"),
        "stats.agency": ("Instansi", "Agency"),
        "stats.region": ("Wilayah", "Region"),
        "stats.multi_help": (
            "Tahan Ctrl (⌘ di Mac) untuk memilih lebih dari satu.",
            "Hold Ctrl (⌘ on a Mac) to choose more than one.",
        ),
        "stats.from": ("Diketahui dari tanggal", "Discovered from"),
        "stats.to": ("Diketahui sampai tanggal", "Discovered until"),
        "stats.origin": ("Asal", "Origin"),
        "stats.score_min": ("Skor minimum", "Minimum score"),
        "stats.score_max": ("Skor maksimum", "Maximum score"),
        "stats.sort": ("Urutan", "Sort"),
        "stats.q": ("Pencarian", "Search"),
        "stats.view": ("Tampilan tersimpan", "Saved view"),
        "stats.assignee": ("Ditugaskan ke", "Assigned to"),
        "stats.days": ("Rentang grafik harian", "Span of the daily chart"),
        "stats.days_n": ("{n} hari terakhir", "last {n} days"),
        "stats.days_help": (
            "Dipakai bila tanggal awal kosong.",
            "Used when no start date is given.",
        ),
        "stats.apply": ("Terapkan filter", "Apply filters"),
        "stats.reset": ("Hapus filter", "Clear filters"),
        "stats.to_queue": ("Lihat item ini di antrean", "See these items in the queue"),
        "stats.kept": ("Filter lain yang tetap berlaku: {what}", "Other filters still on: {what}"),
        "stats.no_text": (
            "Pencarian teks «{q}» tidak berlaku untuk statistik; angka di bawah tanpa pencarian.",
            "The text search «{q}» does not apply to statistics; the numbers below ignore it.",
        ),
        "stats.bad_days": ("pilih 7, 14, 30 atau 90", "choose 7, 14, 30 or 90"),
        "stats.summary": ("Ringkasan", "Summary"),
        "stats.total": ("Dugaan (sesuai filter)", "Dugaan (matching the filters)"),
        "stats.open": ("Terbuka (baru atau ditinjau)", "Open (new or in review)"),
        "stats.overdue": (
            "Terbuka dan lewat batas {days} hari",
            "Open and past the {days}-day limit",
        ),
        "stats.table": ("Tabel data", "Data table"),
        "stats.count": ("Jumlah", "Count"),
        "stats.no_data": ("tidak ada data", "no data"),
        "stats.all_time": (
            "Semua waktu yang cocok dengan filter.",
            "All time matching the filters.",
        ),
        "stats.period": ("Periode {start} – {end} ({zone}).", "Period {start} – {end} ({zone})."),
        "stats.capped": (
            "Rentang lebih dari {n} hari: yang ditampilkan {n} hari terakhir.",
            "A range longer than {n} days: the last {n} days are shown.",
        ),
        "stats.per_day": ("Dugaan per hari", "Dugaan per day"),
        "stats.per_day_desc": (
            "{total} dugaan dalam {days} hari; terbanyak {max} pada {day}.",
            "{total} dugaan over {days} days; most: {max} on {day}.",
        ),
        "stats.day": ("Tanggal", "Day"),
        "stats.by_status": ("Menurut status", "By status"),
        "stats.by_category": ("Menurut kategori", "By category"),
        "stats.by_agency": ("Menurut instansi (10 teratas)", "By agency (top 10)"),
        "stats.by_region": ("Menurut wilayah (10 teratas)", "By region (top 10)"),
        "stats.by_platform": ("Menurut platform", "By platform"),
        "stats.rest": (
            "Ditambah {n} lainnya dengan {count} dugaan.",
            "Plus {n} more with {count} dugaan.",
        ),
        "stats.bars_desc": (
            "Terbanyak: {name} ({max}). Total {total}.",
            "Most: {name} ({max}). Total {total}.",
        ),
        "stats.none_key": ("(tidak tertaut ke registri)", "(not linked to the registry)"),
        "stats.age": ("Umur item terbuka (jam 7 hari)", "Age of open items (the 7-day clock)"),
        "stats.age_help": (
            "Hari sejak dugaan diketahui. Laporan harus masuk dalam {days} hari: ▲ menandai hari"
            " ke-{warn} ke atas (oranye: mendekati batas, merah: lewat batas).",
            "Days since the dugaan became known. A report must be filed within {days} days: ▲"
            " marks day {warn} and later (orange: near the limit, red: past it).",
        ),
        "stats.age_desc": (
            "{open} item terbuka; {warn} mendekati batas, {late} lewat batas.",
            "{open} open items; {warn} near the limit, {late} past it.",
        ),
        "stats.age_day": ("Umur (hari)", "Age (days)"),
        "stats.age_n": ("{n} hr", "{n} d"),
        "stats.age_late_n": ("≥{n} hr", "≥{n} d"),
        "stats.age_state": ("Keterangan", "Note"),
        "stats.age_ok": ("dalam batas", "within the limit"),
        "stats.age_warn": ("mendekati batas", "near the limit"),
        "stats.age_late": ("lewat batas", "past the limit"),
        "stats.reviewers": ("Keputusan per peninjau", "Decisions per reviewer"),
        "stats.reviewers_desc": (
            "{total} keputusan oleh {n} peninjau dalam periode ini.",
            "{total} decisions by {n} reviewers in this period.",
        ),
        "stats.reviewer": ("Peninjau", "Reviewer"),
        "stats.total_col": ("Total", "Total"),
        "stats.reviewers_hidden": (
            "Keputusan per peninjau tidak ditampilkan untuk peran dasbor: nama peninjau adalah"
            " data pribadi.",
            "Decisions per reviewer are not shown to the dashboard role: reviewers' names are"
            " personal data.",
        ),
        "stats.quality": ("Mutu penapisan", "Screening quality"),
        "stats.precision": (
            "Presisi: bagian dugaan pengklasifikasi yang dikonfirmasi atau dieskalasi",
            "Precision: share of the classifier's dugaan confirmed or escalated",
        ),
        "stats.recall": (
            "Perkiraan recall dari sampel audit",
            "Recall estimated from the audit sample",
        ),
        "stats.precision_none": (
            "belum ada keputusan atas dugaan pengklasifikasi",
            "no decisions on the classifier's dugaan yet",
        ),
        "stats.recall_none": (
            "belum ada sampel audit yang diputus",
            "no audit sample decided yet",
        ),
        "stats.measure": ("Ukuran", "Measure"),
        "stats.value": ("Nilai", "Value"),
        "stats.q.reviewed": ("Dugaan pengklasifikasi yang diputus", "Classifier dugaan decided"),
        "stats.q.confirmed": ("…dikonfirmasi atau dieskalasi", "…confirmed or escalated"),
        "stats.q.dismissed": ("…ditolak", "…dismissed"),
        "stats.q.precision": ("Presisi", "Precision"),
        "stats.q.audit_reviewed": ("Sampel audit yang diputus", "Audit items decided"),
        "stats.q.audit_partisan": ("…ternyata dugaan", "…found to be dugaan"),
        "stats.q.estimated_missed": ("Perkiraan dugaan yang terlewat", "Estimated dugaan missed"),
        "stats.q.estimated_recall": ("Perkiraan recall", "Estimated recall"),
        "stats.q.scored_posts": ("Unggahan yang dinilai model", "Posts the model scored"),
        "stats.q.flagged_posts": ("…masuk antrean", "…queued"),
        "stats.quality_help": (
            "Angka ini dari keputusan analis, bukan dari model: presisi = dikonfirmasi atau"
            " dieskalasi ÷ diputus; recall diperkirakan dari sampel acak unggahan yang tidak"
            " ditandai.",
            "These numbers come from analysts' decisions, not from the model: precision ="
            " confirmed or escalated ÷ decided; recall is estimated from a random sample of"
            " unflagged posts.",
        ),
    }
)


@dataclass
class Chart:
    """One chart of the page: the SVG, and the table of the same numbers."""

    ident: str
    title: str
    svg: Markup
    head: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    note: str = ""
    help: str = ""
    marks: list[str] = field(default_factory=list)  # per row: "", "warn" or "late"


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    capped: bool

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _days_param(request: Request, problems: list) -> int:
    raw = request.query_params.get("hari", "").strip()
    if not raw:
        return DEFAULT_DAYS
    if raw.isdigit() and int(raw) in DAY_CHOICES:
        return int(raw)
    problems.append(("hari", ("stats.bad_days", {})))
    return DEFAULT_DAYS


def period(filters: FlagFilter, zone: ZoneInfo, now: datetime, days: int) -> Period:
    """The days the per-day chart and the reviewers' decisions cover: the filter's dates, else
    the last ``days`` days up to today (in the reader's zone)."""
    today = now.astimezone(zone).date()
    last = today
    if filters.flagged_to is not None:
        last = min(today, (filters.flagged_to - timedelta(microseconds=1)).astimezone(zone).date())
    if filters.flagged_from is not None:
        first = filters.flagged_from.astimezone(zone).date()
    else:
        first = last - timedelta(days=days - 1)
    capped = (last - first).days + 1 > MAX_DAYS
    if capped:
        first = last - timedelta(days=MAX_DAYS - 1)
    return Period(first, last, capped)


def _between(filters: FlagFilter, start: datetime, end: datetime) -> FlagFilter:
    """``filters`` narrowed to discoveries in [start, end)."""
    lower = max(filters.flagged_from, start) if filters.flagged_from else start
    upper = min(filters.flagged_to, end) if filters.flagged_to else end
    return replace(filters, flagged_from=lower, flagged_to=upper)


class Words:
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return translate(key, self.lang, **values)


def _bars_chart(
    ident: str,
    title: str,
    column: str,
    rows: list[tuple[str, int]],
    t: Words,
    note: str = "",
    rest: tuple[int, int] = (0, 0),
) -> Chart:
    total = sum(count for _, count in rows) + rest[1]
    summary = t("stats.no_data")
    if rows and any(count for _, count in rows):
        name, top = max(rows, key=lambda row: row[1])
        summary = t("stats.bars_desc", name=name, max=top, total=total)
    if rest[0]:
        note = (note + " " + t("stats.rest", n=rest[0], count=rest[1])).strip()
    return Chart(
        ident,
        title,
        charts.bars(ident, title, rows, summary=summary, no_data=t("stats.no_data")),
        (column, t("stats.count")),
        list(rows),
        note=note,
    )


def _ranked(buckets: list[Bucket], name: Any, limit: int | None = None) -> tuple[list, tuple]:
    rows = sorted(((name(b.key), b.count) for b in buckets if b.count), key=lambda r: (-r[1], r[0]))
    if limit is None or len(rows) <= limit:
        return rows, (0, 0)
    rest = rows[limit:]
    return rows[:limit], (len(rest), sum(count for _, count in rest))


def per_day(
    store: Store, filters: FlagFilter, span: Period, zone: ZoneInfo, zone_name: str, t: Words
) -> Chart:
    start = datetime.combine(span.first, time(), zone)
    end = datetime.combine(span.last + timedelta(days=1), time(), zone)
    counts: Counter[str] = Counter()
    if span.first <= span.last:
        for bucket in store.aggregate(_between(filters, start, end), interval="day", tz=zone_name):
            counts[bucket.day or ""] += bucket.count
    days = [span.first + timedelta(days=n) for n in range(max(span.days, 0))]
    rows = [(day.strftime("%d-%m-%Y"), counts.get(day.isoformat(), 0)) for day in days]
    points = [(day.strftime("%d/%m"), count) for day, (_, count) in zip(days, rows, strict=True)]
    title = t("stats.per_day")
    summary = t("stats.no_data")
    if rows and any(count for _, count in rows):
        day, top = max(rows, key=lambda row: row[1])
        summary = t(
            "stats.per_day_desc", total=sum(c for _, c in rows), days=len(rows), max=top, day=day
        )
    tick_every = 1 if len(points) <= 14 else 5 if len(points) <= 45 else 15
    return Chart(
        "per-hari",
        title,
        charts.columns(
            "per-hari",
            title,
            points,
            summary=summary,
            no_data=t("stats.no_data"),
            tick_every=tick_every,
        ),
        (t("stats.day"), t("stats.count")),
        rows,
    )


def queue_age(
    store: Store, filters: FlagFilter, now: datetime, deadline_days: int, t: Words
) -> Chart:
    """Open items by whole days since discovery: 0, 1, …, deadline-1, and ≥ deadline."""
    open_statuses = OPEN & filters.statuses if filters.statuses else OPEN
    counts: list[int] = []
    for age in range(deadline_days + 1):
        if not open_statuses:
            counts.append(0)
            continue
        newest = now - timedelta(days=age)
        oldest = None if age == deadline_days else now - timedelta(days=age + 1)
        window = replace(filters, statuses=frozenset(open_statuses))
        upper = min(window.flagged_to, newest) if window.flagged_to else newest
        lower = window.flagged_from
        if oldest is not None:
            lower = max(lower, oldest) if lower else oldest
        if lower is not None and lower >= upper:
            counts.append(0)
            continue
        window = replace(window, flagged_from=lower, flagged_to=upper)
        counts.append(sum(b.count for b in store.aggregate(window, by=AggregateBy.STATUS)))
    names = [t("stats.age_n", n=age) for age in range(deadline_days)]
    names.append(t("stats.age_late_n", n=deadline_days))
    warn = [i for i in range(deadline_days) if i >= WARN_DAY]
    late = [deadline_days]
    marks = ["late" if i in late else "warn" if i in warn else "" for i in range(len(counts))]
    states = {"": t("stats.age_ok"), "warn": t("stats.age_warn"), "late": t("stats.age_late")}
    title = t("stats.age")
    summary = t(
        "stats.age_desc",
        open=sum(counts),
        warn=sum(counts[i] for i in warn),
        late=sum(counts[i] for i in late),
    )
    return Chart(
        "umur",
        title,
        charts.columns(
            "umur",
            title,
            list(zip(names, counts, strict=True)),
            summary=summary,
            no_data=t("stats.no_data"),
            highlight=warn,
            alarm=late,
        ),
        (t("stats.age_day"), t("stats.count"), t("stats.age_state")),
        [(n, c, states[m]) for n, c, m in zip(names, counts, marks, strict=True)],
        help=t("stats.age_help", days=deadline_days, warn=WARN_DAY),
        marks=marks,
    )


def reviewers(store: Store, filters: FlagFilter, span: Period, zone: ZoneInfo, t: Words) -> Chart:
    start = datetime.combine(span.first, time(), zone)
    end = datetime.combine(span.last + timedelta(days=1), time(), zone)
    per: dict[str, Counter[str]] = {}
    if span.first <= span.last:
        events = store.review_events(
            start, end, replace(filters, flagged_from=None, flagged_to=None)
        )
        for event in events:
            if event.action in DECISIONS:
                per.setdefault(event.actor, Counter())[event.action] += 1
    ranked = sorted(per.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    rows = [(name, sum(c.values())) for name, c in ranked]
    table = [
        (name, *(c.get(action, 0) for action in DECISIONS), sum(c.values())) for name, c in ranked
    ]
    title = t("stats.reviewers")
    summary = t("stats.reviewers_desc", total=sum(c for _, c in rows), n=len(rows))
    return Chart(
        "peninjau",
        title,
        charts.bars("peninjau", title, rows, summary=summary, no_data=t("stats.no_data")),
        (
            t("stats.reviewer"),
            *(label("action", action, t.lang) for action in DECISIONS),
            t("stats.total_col"),
        ),
        table,
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def quality_charts(store: Store, filters: FlagFilter, t: Words) -> tuple[list[Chart], list]:
    numbers = quality(store, filters)
    precision_title, recall_title = t("stats.precision"), t("stats.recall")
    precision = Chart(
        "presisi",
        precision_title,
        charts.meter(
            "presisi",
            precision_title,
            numbers["precision"],
            summary=f"{precision_title}: {_percent(numbers['precision'])}",
            no_data=t("stats.precision_none"),
        ),
        (),
        [],
    )
    recall = Chart(
        "recall",
        recall_title,
        charts.meter(
            "recall",
            recall_title,
            numbers["estimated_recall"],
            summary=f"{recall_title}: {_percent(numbers['estimated_recall'])}",
            no_data=t("stats.recall_none"),
        ),
        (),
        [],
    )
    table = []
    for key in (
        "reviewed", "confirmed", "dismissed", "precision", "audit_reviewed", "audit_partisan",
        "estimated_missed", "estimated_recall", "scored_posts", "flagged_posts",
    ):  # fmt: skip
        value = numbers[key]
        if key in ("precision", "estimated_recall"):
            shown = _percent(value)
        elif value is None:
            shown = "—"
        else:
            shown = f"{value:g}"
        table.append((key, t(f"stats.q.{key}"), shown))
    return [precision, recall], table


def build(
    store: Store,
    query: UiQuery,
    *,
    personal: bool,
    zone_abbr: str,
    now: datetime,
    days: int,
    deadline_days: int,
    lang: str,
) -> dict[str, Any]:
    """Everything the page shows, from the store, under the query's filters."""
    t = Words(lang)
    zone_name = ZONES[zone_abbr]
    zone = ZoneInfo(zone_name)
    filters = query.filter if personal else replace(query.filter, assignee=None)
    span = period(filters, zone, now, days)
    summary = queue_summary(store, filters, deadline_days)
    regions = store.regions()
    none_key = t("stats.none_key")

    def region_name(code: str | None) -> str:
        if not code:
            return none_key
        return f"{regions[code]} ({code})" if code in regions else code

    shown = (
        AggregateBy.STATUS,
        AggregateBy.CATEGORY,
        AggregateBy.AGENCY,
        AggregateBy.REGION,
        AggregateBy.PLATFORM,
    )
    by = {kind: store.aggregate(filters, by=kind) for kind in shown}
    status_counts = {b.key: b.count for b in by[AggregateBy.STATUS]}
    category_counts = {b.key: b.count for b in by[AggregateBy.CATEGORY]}
    agencies, agency_rest = _ranked(by[AggregateBy.AGENCY], lambda k: k or none_key, TOP)
    region_rows, region_rest = _ranked(by[AggregateBy.REGION], region_name, TOP)
    platforms, _ = _ranked(by[AggregateBy.PLATFORM], lambda k: label("platform", k or "", lang))
    all_time = t("stats.all_time") if not (filters.flagged_from or filters.flagged_to) else ""
    day_chart = per_day(store, filters, span, zone, zone_name, t)
    day_chart.note = t(
        "stats.period",
        start=span.first.strftime("%d-%m-%Y"),
        end=span.last.strftime("%d-%m-%Y"),
        zone=zone_abbr,
    ) + (" " + t("stats.capped", n=MAX_DAYS) if span.capped else "")
    breakdowns = [
        _bars_chart(
            "status",
            t("stats.by_status"),
            t("stats.status"),
            [(name, status_counts.get(code, 0)) for code, name in labels("status", lang).items()],
            t,
            all_time,
        ),
        _bars_chart(
            "kategori",
            t("stats.by_category"),
            t("stats.category"),
            [
                (name, category_counts.get(code, 0))
                for code, name in labels("category", lang).items()
            ],
            t,
            all_time,
        ),
        _bars_chart(
            "platform", t("stats.by_platform"), t("stats.platform"), platforms, t, all_time
        ),
        _bars_chart(
            "instansi", t("stats.by_agency"), t("stats.agency"), agencies, t, all_time, agency_rest
        ),
        _bars_chart(
            "wilayah",
            t("stats.by_region"),
            t("stats.region"),
            region_rows,
            t,
            all_time,
            region_rest,
        ),
    ]
    age_chart = queue_age(store, filters, now, deadline_days, t)
    reviewer_chart = None
    if personal:
        reviewer_chart = reviewers(store, filters, span, zone, t)
        reviewer_chart.note = day_chart.note
    meters, quality_table = quality_charts(store, filters, t)
    return {
        "summary": summary,
        "deadline_days": deadline_days,
        "day_chart": day_chart,
        "age_chart": age_chart,
        "breakdowns": breakdowns,
        "reviewer_chart": reviewer_chart,
        "meters": meters,
        "quality_table": quality_table,
        "span": span,
    }


def _shown(name: str, value: str, lang: str) -> str:
    if name == "view":
        return translate(f"view.{value}", lang)
    if name == "origin":
        return label("origin", value, lang)
    return value


def _choices(store: Store, by: AggregateBy) -> list[str]:
    return sorted({b.key for b in store.aggregate(FlagFilter(), by=by) if b.key})


@router.get("/ui/statistik", response_class=HTMLResponse)
def statistics(request: Request, session: Session) -> HTMLResponse:
    store: Store = request.app.state.store
    settings = request.app.state.settings
    lang, zone_abbr = preferences(request)
    now = utcnow()
    query = parse(request.query_params, session.user.name, ZoneInfo(ZONES[zone_abbr]), now)
    problems = list(query.problems)
    days = _days_param(request, problems)
    numbers = build(
        store,
        query,
        personal=session.personal,
        zone_abbr=zone_abbr,
        now=now,
        days=days,
        deadline_days=settings.report_deadline_days,
        lang=lang,
    )
    kept = [
        (name, value, f"{translate(FIELD_WORDS[name], lang)} = {_shown(name, value, lang)}")
        for name, value in query.params
        if name in ("origin", "score_min", "score_max")
        or (name == "view" and value == query.view)
        or (name == "assignee" and session.personal)
    ]
    queue_link = query.query_string()
    return render(
        request,
        "stats.html",
        {
            "query": query,
            "problems": problems,
            "days": days,
            "day_choices": DAY_CHOICES,
            "kept": kept,
            "queue_link": queue_link,
            "agency_choices": _choices(store, AggregateBy.AGENCY),
            "region_choices": _choices(store, AggregateBy.REGION),
            "region_names": store.regions(),
            "field_words": FIELD_WORDS,
            **numbers,
        },
    )
