"""At most one unfinished move to any one place: a partial unique index on the journal's target
among the moves under way (intent, copied, verified).

Until now two moves could be under way to the same place (a gallery delete while a maintenance
batch moved the same file); each counted the other's copy as its own, and only a check made just
before a rollback's delete kept one from removing the file the other was about to keep.

Moves left unfinished by a crash are settled by recovery before new ones start, so two to the
same place should not exist; if they do, the migration stops and says which, and the next
`media_quarantine_deleted --apply` (which settles every unfinished move first) clears them.
"""

from django.db import migrations, models
from django.db.models import Count

UNFINISHED = ["intent", "copied", "verified"]


def refuse_two_unfinished_to_one_place(apps, schema_editor):
    MediaMove = apps.get_model("media", "MediaMove")
    shared = list(
        MediaMove.objects.filter(state__in=UNFINISHED)
        .values("target_key")
        .annotate(moves=Count("id"))
        .filter(moves__gt=1)
        .values_list("target_key", flat=True)[:10]
    )
    if shared:
        raise RuntimeError(
            "Some unfinished file moves share a target, so the migration cannot add its index: "
            + ", ".join(shared)
            + ". Run `manage.py media_quarantine_deleted --apply` (it settles every unfinished move "
            "first), then migrate again. Nothing was changed."
        )


class Migration(migrations.Migration):
    dependencies = [("media", "0007_fewer_indexes")]

    operations = [
        migrations.RunPython(refuse_two_unfinished_to_one_place, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="mediamove",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state__in", UNFINISHED)),
                fields=("target_key",),
                name="media_move_one_unfinished_per_target",
                violation_error_message="Another move to this place is under way.",
            ),
        ),
    ]
