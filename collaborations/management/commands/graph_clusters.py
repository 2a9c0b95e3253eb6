from django.core.management.base import BaseCommand

from collaborations.services import network_clusters_compute


class Command(BaseCommand):
    help = (
        "Compute the whole collaboration network's clusters for /graph/ and keep them, if the network "
        "has changed since they were last computed (--force: anyway). The collaboration-clusters job "
        "of run_jobs does the same on its own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Compute even if the kept clusters are current."
        )

    def handle(self, *args, force, **options):
        refresh = network_clusters_compute(force=force)
        self.stdout.write(self.style.SUCCESS(refresh.summary()) if refresh.computed else refresh.summary())
