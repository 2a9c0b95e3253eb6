"""The collaboration-clusters job: `manage.py run_jobs` keeps the whole network's clusters up to
date, computing them again whenever the network has changed since they were (a cheap check
when it has not)."""

from django.conf import settings

from collaborations.services import network_clusters_compute
from mhc.jobs import WorkerJob, register_worker_job

COLLABORATION_CLUSTERS = "collaboration-clusters"


def register() -> None:
    register_worker_job(
        WorkerJob(
            name=COLLABORATION_CLUSTERS,
            order=90,  # after the media jobs: when the network has changed, it takes a while
            interval_seconds=lambda: settings.COLLABORATION_CLUSTERS_INTERVAL_SECONDS,
            cycle=lambda keep_going: network_clusters_compute(),
            missing_setting=lambda: None,
        )
    )
