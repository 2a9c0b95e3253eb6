from django.core.management.base import BaseCommand, CommandError

from events.context import Actor, acting_as
from media.services.restores import media_restore_quarantined
from mhc.exceptions import Conflict, ValidationError


class Command(BaseCommand):
    help = (
        "Bring quarantined files back: to their soft-deleted record, or registered as a new record of "
        "the person their key names. Each file is moved with a journalled, verified move. Without "
        "--apply, says what would happen."
    )

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="+", metavar="KEY", help="A key under QUARANTINE/.")
        parser.add_argument("--apply", action="store_true", help="Act. Without it, only report.")

    def handle(self, *args, keys: list[str], apply: bool, **options):
        if not apply:
            self.stdout.write("Dry run: nothing will change. Add --apply to act.")
        failed = 0
        with acting_as(Actor.command("media_restore")):
            for key in keys:
                try:
                    outcome = media_restore_quarantined(key=key, apply=apply)
                except (ValidationError, Conflict) as error:  # a MoveError is a Conflict
                    failed += 1
                    message = "; ".join(error.messages) if hasattr(error, "messages") else str(error)
                    self.stderr.write(f"{key}: not restored: {message}")
                    continue
                self.stdout.write(f"{key}: {outcome.action} → {outcome.target} ({outcome.detail})")
        if failed:
            raise CommandError(
                f"{failed} of {len(keys)} file(s) could not be restored; they stay in quarantine."
            )
