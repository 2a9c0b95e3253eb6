from django.core.management.base import BaseCommand

from mhc.demo import load_demo
from profiles.models import Person


class Command(BaseCommand):
    help = "Load the demo data set (people, profiles and every app's part). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only into a database nobody has been added to yet (what scripts/run does on every "
            "start, so demo rows the owner deleted or changed are never brought back).",
        )

    def handle(self, *args, if_empty, **options):
        if if_empty and Person.objects.exists():
            self.stdout.write("The database already has people: demo data left as it is.")
            return
        demo = load_demo()
        for line in demo.log:
            self.stdout.write(f"  added {line}")
        added = len(demo.log)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(demo.people)} people ({added} new item{'s' if added != 1 else ''})."
            )
        )
