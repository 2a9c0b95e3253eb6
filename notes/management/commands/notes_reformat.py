from django.core.management.base import BaseCommand

from events.context import Actor, acting_as
from notes.reformat import notes_reformat


class Command(BaseCommand):
    help = (
        "Read every stored chat log and tip menu again with the current parsers and report the notes "
        "whose HTML would change. Reports only unless --apply is given; a note's text is never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Store the new HTML of the notes that differ."
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *, apply: bool, batch_size: int, **options):
        with acting_as(Actor.command("notes_reformat")):
            report = notes_reformat(apply=apply, batch_size=batch_size)
        verb = "re-formatted" if apply else "would be re-formatted (run with --apply to store them)"
        self.stdout.write(
            f"{report.checked} chat log(s) and tip menu(s) checked; {len(report.changed)} {verb}."
        )
