"""The steps of a Netra cycle: collect, recheck, score and flag, retention, digests, file imports
and public reports, and :func:`run_cycle`, which runs collect → score → retention in one go.

The CLI (``netra collect``, ``netra run``) and the Airflow DAGs call these same functions; neither
holds business logic of its own. Each step is idempotent: every write is an upsert by id.
"""

from netra.domain.models import utcnow
from netra.pipeline.batches import AccountBatch, collect_batch, plan_batches
from netra.pipeline.collect import Progress, QuarantineRetry, collect, quarantine_targets
from netra.pipeline.cycle import CycleSummary, run_cycle
from netra.pipeline.digest import DigestOutcome, daily_digest, previous_day
from netra.pipeline.files import import_file, submit_report
from netra.pipeline.platforms import API_PLATFORMS, FILE_PLATFORMS, build_collectors, targets
from netra.pipeline.recheck import recheck
from netra.pipeline.retention import apply_retention
from netra.pipeline.scoring import ScoreSummary, retrain, score_and_flag, score_new_posts
from netra.pipeline.summary import CollectSummary, EveryAccountFailed, add_counts

__all__ = [
    "API_PLATFORMS",
    "FILE_PLATFORMS",
    "AccountBatch",
    "CollectSummary",
    "CycleSummary",
    "DigestOutcome",
    "EveryAccountFailed",
    "Progress",
    "QuarantineRetry",
    "ScoreSummary",
    "add_counts",
    "apply_retention",
    "build_collectors",
    "collect",
    "collect_batch",
    "daily_digest",
    "import_file",
    "plan_batches",
    "previous_day",
    "quarantine_targets",
    "recheck",
    "retrain",
    "run_cycle",
    "score_and_flag",
    "score_new_posts",
    "submit_report",
    "targets",
    "utcnow",
]
