"""`manage.py media_dedup`: the command line of `media.maintenance.dedup` (duplicate images)."""

from django.core.management.base import CommandError

from media.maintenance.dedup import CrossPersonGroup, DedupResult, DuplicateGroup, dedup_run
from media.management.base import MaintenanceCommand, Outcome

# Groups printed of each kind; the report lists every one.
SHOWN = 50


class Command(MaintenanceCommand):
    help = (
        "Merge each person's duplicate images (live records with the same sha256): keep the most "
        "referenced, repoint the affiliate snapshots and the primary flag to it, soft-delete the "
        "others (files quarantined). Images shared by different people are only reported, unless "
        "--placeholders. Dry run without --apply."
    )
    report_name = "media-dedup"
    parallel = True

    def add_command_arguments(self, parser) -> None:
        parser.add_argument(
            "--placeholders",
            action="store_true",
            help="With --apply: quarantine every record of an image shared by different people when "
            "it is a known placeholder or seen for at least --min-people people, and record it as a "
            "placeholder so downloads skip it.",
        )
        parser.add_argument(
            "--min-people",
            type=int,
            default=3,
            help="People sharing an image for --placeholders to take it as a placeholder (default 3, "
            "at least 2).",
        )

    def handle(self, *args, **options):
        # Checked before the base stops the jobs: bad input changes nothing.
        if options["min_people"] < 2:
            raise CommandError("--min-people must be at least 2 (an image of one person is not shared).")
        return super().handle(*args, **options)

    def run(self, **options) -> Outcome:
        if options["placeholders"] and not self.applying:
            self.stdout.write("--placeholders acts only with --apply: showing what it would quarantine.")
        result = dedup_run(
            apply=self.applying,
            placeholders=options["placeholders"],
            min_people=options["min_people"],
            batch_size=options["batch_size"],
            workers=options["workers"],
            progress=self.progress,
        )
        self.show(result, options)
        return Outcome(summary=result.summary(), details=result.details(), problems=result.problems)

    def show(self, result: DedupResult, options: dict) -> None:
        self.stdout.write(f"Duplicate groups (one person, one sha256): {len(result.groups):,}")
        for group in result.groups[:SHOWN]:
            self.stdout.write("  " + self.group_line(group, applied=result.applied))
        self.more(len(result.groups))
        self.stdout.write(f"Cross-person groups (one sha256, several people): {len(result.cross_person):,}")
        for group in result.cross_person[:SHOWN]:
            self.stdout.write("  " + self.cross_person_line(group))
        self.more(len(result.cross_person))
        if result.cross_person and not options["placeholders"]:
            self.stdout.write(
                "  Never merged. --placeholders --apply quarantines those that are known placeholders "
                f"or seen for at least --min-people ({options['min_people']}) people."
            )
        if result.records_without_sha256:
            self.stdout.write(
                f"{result.records_without_sha256:,} live record(s) without a sha256 were not compared: "
                "run `manage.py media_sha256` first."
            )

    def more(self, count: int) -> None:
        if count > SHOWN:
            self.stdout.write(f"  … and {count - SHOWN:,} more (every one is in the report)")

    @staticmethod
    def group_line(group: DuplicateGroup, *, applied: bool) -> str:
        head = f"{group.username} sha256 {group.sha256[:12]}…: "
        references = f"{group.references_repointed} reference(s)"
        if not applied:
            line = f"keep {group.kept_id}, soft-delete {', '.join(group.duplicate_ids)}; repoint {references}"
            return head + line + ("; move the primary flag" if group.primary_moved else "")
        line = f"kept {group.kept_id}, soft-deleted {', '.join(group.soft_deleted_ids) or 'none'}"
        line += f"; repointed {references}" + ("; moved the primary flag" if group.primary_moved else "")
        if group.failed_ids:
            line += f"; left live (file could not be quarantined): {', '.join(group.failed_ids)}"
        return head + line

    @staticmethod
    def cross_person_line(group: CrossPersonGroup) -> str:
        more = ", …" if group.people > len(group.usernames) else ""
        known = ", a known placeholder" if group.known_placeholder else ""
        line = f"sha256 {group.sha256}: {group.people} people ({', '.join(group.usernames)}{more}), "
        line += f"{group.records} record(s){known}: {group.action}"
        if group.action == "quarantined":
            line += f" {group.soft_deleted} record(s)" + (f", {group.failed} failed" if group.failed else "")
        if group.placeholder_recorded:
            line += (
                "; recorded as a placeholder"
                if group.action == "quarantined"
                else "; record as a placeholder"
            )
        return line
