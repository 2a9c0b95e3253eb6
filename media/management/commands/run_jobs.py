import signal

from django.core.management.base import BaseCommand, CommandError

from media.worker import Worker
from mhc.jobs import worker_jobs


class Command(BaseCommand):
    help = (
        "Run the jobs (the media-creating ones while they are started: live screenshots, affiliate "
        "polling, profile capture; and the collaboration clusters) at their intervals; --once runs "
        "one cycle of each and exits (for cron and tests). Ctrl-C or SIGTERM finishes the current "
        "unit of work, then exits."
    )

    def add_arguments(self, parser):
        names = [job.name for job in worker_jobs()]
        parser.add_argument("--once", action="store_true", help="Run one cycle of each job, then exit.")
        parser.add_argument("--job", action="append", choices=names, help="Only this job (repeatable).")

    def handle(self, *args, once, job, **options):
        jobs = [item for item in worker_jobs() if not job or item.name in job]
        worker = Worker(jobs=jobs, say=lambda line: self.stdout.write(line), once=once)
        if not once:
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: worker.stop())
            self.stdout.write(f"Running {', '.join(item.name for item in jobs)} until stopped (Ctrl-C).")
        worker.run()
        if worker.failures and once:
            raise CommandError(f"{worker.failures} job cycle(s) failed; see above.")
