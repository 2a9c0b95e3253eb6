from django.core.management.base import BaseCommand

from mhc.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data set (people, profiles and every app's part). Safe to run again."

    def handle(self, *args, **options):
        demo = load_demo()
        for line in demo.log:
            self.stdout.write(f"  added {line}")
        added = len(demo.log)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(demo.people)} people ({added} new item{'s' if added != 1 else ''})."
            )
        )
