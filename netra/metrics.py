"""Prometheus metrics of every Netra process, added up across processes.

The API runs several worker processes and the pipeline runs in others (``netra run``,
``netra collect``, Airflow tasks, possibly in other containers). Each process writes its counters
and histograms to memory-mapped files of its own in one directory, ``NETRA_VAR_DIR/metrics``
(prometheus_client's multiprocess mode), and the API's ``/metrics`` adds up every file there, so
any worker's scrape shows the whole deployment.

A process that is done (a CLI command, an Airflow task, an API worker shutting down) folds its
files into the directory's archive files (``counter_archive.db``, ``histogram_archive.db``), so
counters never go down and the directory does not grow with every task. ``netra serve`` folds,
before its workers start, the files that dead processes of this host left behind (a killed
process cannot fold its own). Files are named ``<kind>_<host>-<pid>.db``: processes in other
containers share the directory without colliding, and only this host's processes are checked for
being alive.
"""

from __future__ import annotations

import fcntl
import os
import socket
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from prometheus_client import CollectorRegistry, Histogram, generate_latest, values
from prometheus_client import Counter as PromCounter
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.multiprocess import MultiProcessCollector

from netra.domain.settings import Settings

ENVIRONMENT = "PROMETHEUS_MULTIPROC_DIR"  # where prometheus_client opens a process's files
ARCHIVE = "archive"
LOCK_FILE = ".lock"  # not *.db: the collector reads every *.db file
FOLDED_KINDS = ("counter", "histogram", "summary")  # sums: safe to add up; gauges are not
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
SCORING_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

# registry=None: a scrape reads the files (MultiProcessCollector), never these objects. Every
# metric has labels, so no value exists before configure() picks where values are written.
HTTP_REQUESTS = PromCounter(
    "netra_http_requests",
    "Requests by route and status.",
    ["method", "route", "status"],
    registry=None,
)
HTTP_SECONDS = Histogram(
    "netra_http_request_seconds",
    "Request latency.",
    ["method", "route"],
    buckets=HTTP_BUCKETS,
    registry=None,
)
POSTS_COLLECTED = PromCounter(
    "netra_posts_collected",
    "New posts stored by collection, by platform.",
    ["platform"],
    registry=None,
)
POSTS_SCORED = PromCounter(
    "netra_posts_scored", "Posts scored, by platform.", ["platform"], registry=None
)
POSTS_QUEUED = PromCounter(
    "netra_posts_queued",
    "Posts that entered the review queue when scored (dugaan and public reports), by platform.",
    ["platform"],
    registry=None,
)
RATE_LIMIT_WAITS = PromCounter(
    "netra_rate_limit_waits",
    "Waits on a platform's rate limit, by platform.",
    ["platform"],
    registry=None,
)
RATE_LIMIT_WAIT_SECONDS = PromCounter(
    "netra_rate_limit_wait_seconds",
    "Seconds spent waiting on rate limits, by platform.",
    ["platform"],
    registry=None,
)
SCORING_SECONDS = Histogram(
    "netra_scoring_seconds",
    "Seconds to score one batch of posts and store its scores and flags, by model version.",
    ["model"],
    buckets=SCORING_BUCKETS,
    registry=None,
)
ALL = (
    HTTP_REQUESTS,
    HTTP_SECONDS,
    POSTS_COLLECTED,
    POSTS_SCORED,
    POSTS_QUEUED,
    RATE_LIMIT_WAITS,
    RATE_LIMIT_WAIT_SECONDS,
    SCORING_SECONDS,
)

_directory: Path | None = None


class WaitStats(Protocol):
    """What a collection run counts of its rate-limit waits (collectors.http.HttpStats)."""

    rate_limit_waits: int
    rate_limit_wait_seconds: float


class Labelled(Protocol):
    """A post as far as the metrics care: its platform."""

    @property
    def id(self) -> str: ...
    @property
    def platform(self) -> object: ...


def directory_for(settings: Settings) -> Path:
    return settings.var_dir / "metrics"


def host() -> str:
    return socket.gethostname().replace("_", "-") or "localhost"


def process_id() -> str:
    """Unique among the processes sharing the directory, even across containers."""
    return f"{host()}-{os.getpid()}"


def configure(directory: Path) -> Path:
    """From now on this process records into ``directory`` (made if missing). Calling it again
    with the same directory changes nothing; with another, later values go there."""
    global _directory
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[ENVIRONMENT] = str(directory)  # read when a file is opened; workers inherit it
    if directory != _directory:
        _restart_values()
        _directory = directory
    return directory


def configured() -> Path | None:
    return _directory


@contextmanager
def recording(settings: Settings) -> Iterator[Path]:
    """Record into the settings' directory for the duration; fold this process's files after."""
    directory = configure(directory_for(settings))
    try:
        yield directory
    finally:
        finish()


def finish() -> None:
    """Fold this process's files into the archive: for a process that is done recording. Later
    values (if any) start new files."""
    if _directory is None:
        return
    own = [path for path in _directory.glob("*.db") if _identity(path) == (host(), os.getpid())]
    _restart_values()  # closes this process's files before they are folded
    if own:
        with _locked(_directory, exclusive=True):
            _fold(_directory, own)


def prepare(directory: Path) -> Path:
    """Make ``directory`` and fold the files of this host's dead processes (for ``netra serve``,
    before its workers start)."""
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    here = host()
    dead = [
        path
        for path in directory.glob("*.db")
        if (identity := _identity(path)) and identity[0] == here and not _alive(identity[1])
    ]
    if dead:
        with _locked(directory, exclusive=True):
            _fold(directory, dead)
    return directory


def exposition(directory: Path) -> bytes:
    """Every metric of every process that recorded into ``directory``, added up."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))
    with _locked(directory, exclusive=False):  # no file is folded away mid-read
        return generate_latest(registry)


# -- recording ---------------------------------------------------------------------------------


def record_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_SECONDS.labels(method, route).observe(seconds)


def record_collected(platform: object, posts: int) -> None:
    POSTS_COLLECTED.labels(_label(platform)).inc(posts)


def waits(stats: WaitStats) -> tuple[int, float]:
    """The waits so far, to pass to :func:`record_rate_limit_waits` afterwards."""
    return stats.rate_limit_waits, stats.rate_limit_wait_seconds


def record_rate_limit_waits(platform: object, stats: WaitStats, before: tuple[int, float]) -> None:
    """The waits since ``before`` (from :func:`waits`), all on ``platform``."""
    RATE_LIMIT_WAITS.labels(_label(platform)).inc(stats.rate_limit_waits - before[0])
    RATE_LIMIT_WAIT_SECONDS.labels(_label(platform)).inc(
        max(0.0, stats.rate_limit_wait_seconds - before[1])
    )


def record_scored(
    model: str, posts: Sequence[Labelled], queued: Iterable[str], seconds: float
) -> None:
    """One scored batch: its posts, the ids of those that entered the queue, its scoring time."""
    SCORING_SECONDS.labels(model).observe(seconds)
    queued_ids = set(queued)
    for platform, count in Counter(_label(post.platform) for post in posts).items():
        POSTS_SCORED.labels(platform).inc(count)
    for platform, count in Counter(
        _label(post.platform) for post in posts if post.id in queued_ids
    ).items():
        POSTS_QUEUED.labels(platform).inc(count)


# -- files ---------------------------------------------------------------------------------------


def _label(platform: object) -> str:
    return str(getattr(platform, "value", platform))


def _restart_values() -> None:
    """Forget the values of this process and write the next ones to fresh files (in the directory
    named by the environment). prometheus_client picks how values are kept when a metric's child
    is made, from ``values.ValueClass``; that is set here, not at import from the environment,
    so settings (not import order) decide where a process records."""
    with warnings.catch_warnings():
        # "not implemented in multi-process mode": the values stay in the files, as wanted;
        # only this process's handles on them go.
        warnings.simplefilter("ignore", UserWarning)
        for metric in ALL:
            metric.clear()
    current = values.ValueClass
    if getattr(current, "_multiprocess", False):
        current.close_all_files()
    values.ValueClass = values.MultiProcessValue(process_identifier=process_id)


def _identity(path: Path) -> tuple[str, int] | None:
    """(host, pid) of a process's file; None for the archive and for unknown names."""
    kind, _, ident = path.stem.partition("_")
    if kind == "gauge":
        _, _, ident = ident.partition("_")  # gauge_<mode>_<id>
    name, _, pid = ident.rpartition("-")
    return (name, int(pid)) if name and pid.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _locked(directory: Path, exclusive: bool) -> Iterator[None]:
    with open(directory / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fold(directory: Path, files: Iterable[Path]) -> None:
    """Add each file's values to the archive of its kind and remove it (under the exclusive
    lock). Gauges of dead processes mean nothing: they are only removed."""
    archives: dict[str, MmapedDict] = {}
    try:
        for path in files:
            kind = path.name.split("_", 1)[0]
            if kind in FOLDED_KINDS:
                if kind not in archives:
                    archives[kind] = MmapedDict(str(directory / f"{kind}_{ARCHIVE}.db"))
                archive = archives[kind]
                for key, value, _, _ in MmapedDict.read_all_values_from_file(str(path)):
                    current, _ = archive.read_value(key)
                    archive.write_value(key, current + value, 0.0)
            path.unlink(missing_ok=True)
    finally:
        for archive in archives.values():
            archive.close()
