"""`manage.py media_similar`: the command line of `media.maintenance.similar` (near-duplicates)."""

import argparse

from media.maintenance.similar import (
    DEFAULT_DISTANCE,
    groups_as_report,
    records_phash,
    similar_groups,
)
from media.management.base import MaintenanceCommand, Outcome

SHOWN = 20


def _distance(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 31:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to 31, not {text!r}")
    return value


class Command(MaintenanceCommand):
    help = (
        "Find each person's near-duplicate pictures (the same picture with small differences): "
        "computes the perceptual hash of records that have none, then reports groups of a "
        "person's pictures whose hashes differ in at most --distance bits. Removes nothing: the "
        "owner reviews the groups in admin (Similar images) and quarantines those they approve."
    )
    report_name = "media-similar"
    destructive = False
    changes_media = False  # only fills the perceptual hash of records
    parallel = True

    def add_command_arguments(self, parser) -> None:
        parser.add_argument(
            "--distance",
            type=_distance,
            default=DEFAULT_DISTANCE,
            help=f"Bits two hashes may differ in (default {DEFAULT_DISTANCE} of 64).",
        )
        parser.add_argument("--username", help="Only this person's pictures.")

    def run(
        self, *, batch_size: int, workers: int, distance: int, username: str | None, **options
    ) -> Outcome:
        hashed = records_phash(batch_size=batch_size, workers=workers, progress=self.progress)
        groups = similar_groups(distance=distance, username=username)
        for group in groups[:SHOWN]:
            keys = ", ".join(image.key.rsplit("/", 1)[-1] for image in group.images)
            self.stdout.write(f"  {group.username}: {len(group.images)} similar pictures: {keys}")
        if len(groups) > SHOWN:
            self.stdout.write(f"  … and {len(groups) - SHOWN:,} more groups (every one is in the report)")
        if groups:
            self.stdout.write("Review them in admin → Media records → Similar images.")
        return Outcome(
            summary={
                "records without a perceptual hash": hashed.candidates,
                "hashed": hashed.hashed,
                "not readable as a picture": len(hashed.failed),
                "groups of similar pictures": len(groups),
                "pictures in them": sum(len(group.images) for group in groups),
                "distance": distance,
            },
            details={"distance": distance, "groups": groups_as_report(groups), "failed": hashed.failed},
        )
