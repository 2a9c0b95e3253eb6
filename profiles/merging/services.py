"""Merging two people into one, previewing it, and undoing it."""

from django.db import transaction
from django.utils import timezone

from events.models import Event
from events.services import event_record
from mhc.exceptions import Conflict, ValidationError
from profiles.merging.engine import merge_apply, merge_restore
from profiles.merging.plan import merge_plan
from profiles.merging.rows import encode_rows
from profiles.models import FormerUsername, Person, PersonMerge, Profile
from profiles.selectors import merge_undo_blockers


def _merge_pair(keep: Person, merge: Person) -> None:
    if keep.pk == merge.pk:
        raise ValidationError({"merge": "A person cannot be merged into themself."})


def person_merge_preview(*, keep: Person, merge: Person) -> dict:
    """What merging `merge` into `keep` would do (see `person_merge`), without doing it."""
    _merge_pair(keep, merge)
    return merge_plan(keep=keep, merge=merge).summary()


@transaction.atomic
def person_merge(*, keep: Person, merge: Person, why: str = "") -> PersonMerge:
    """Merge `merge` into `keep`: every row of every app that refers to `merge` moves to `keep`,
    conflicts are settled as `person_merge_preview` says, `merge`'s username becomes a former
    name of `keep`, and `merge` is gone. Both people and their profiles are locked first, so a
    write to either that comes during the merge waits for it (and fails cleanly if what it
    writes to is gone); one still uncommitted when the merge starts is refused at its commit,
    when the database checks its foreign keys.

    The rows as they were are kept on the returned `PersonMerge`, for `person_merge_undo`.
    """
    _merge_pair(keep, merge)
    locked = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk]).order_by("pk")
    }
    if len(locked) < 2:
        raise Conflict("One of the two people no longer exists (merged or removed meanwhile).")
    list(Profile.objects.select_for_update().filter(person_id__in=list(locked)).order_by("pk"))
    keep, merge = locked[keep.pk], locked[merge.pk]
    plan = merge_plan(keep=keep, merge=merge)
    merge_apply(plan)
    former = FormerUsername.objects.create(
        person=keep,
        username=merge.username,
        platform=merge.platform,
        used_from=merge.first_seen_at,
        used_until=timezone.now(),
    )
    summary = plan.summary()
    record = PersonMerge.objects.create(
        kept_person_id=keep.pk,
        kept_username=keep.username,
        merged_person_id=merge.pk,
        merged_username=merge.username,
        platform=merge.platform,
        plan=summary,
        before=encode_rows(plan.before),
        after=encode_rows(plan.after(created=[former])),
    )
    event_record(
        kind="person.merged",
        summary=f"{merge.username} merged into {keep.username}",
        person=keep,
        other=merge,
        subject=record,
        data=summary,
        why=why,
    )
    return record


@transaction.atomic
def person_merge_undo(*, merge: PersonMerge, why: str = "") -> PersonMerge:
    """Undo a merge: both people and every row that referred to either are as they were before
    it. Refused with a Conflict saying why when anything the merge left has changed since
    (see `profiles.selectors.merge_undo_blockers`)."""
    record = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    kept = Person.objects.select_for_update().filter(pk=record.kept_person_id).first()
    blockers = merge_undo_blockers(record)
    if blockers:
        what = f"The merge of {record.merged_username} into {record.kept_username}"
        raise Conflict(f"{what} cannot be undone: {'; '.join(blockers)}.")
    merge_restore(before=record.before, kept_id=kept.pk)
    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at"])
    kept = Person.objects.get(pk=record.kept_person_id)
    merged = Person.objects.get(pk=record.merged_person_id)
    merged_event = Event.objects.filter(
        kind="person.merged", subject_type=PersonMerge._meta.label_lower, subject_id=str(record.pk)
    ).first()
    event_record(
        kind="person.merge_undone",
        summary=f"merge of {merged.username} into {kept.username} undone",
        person=kept,
        other=merged,
        subject=record,
        undoes=merged_event,
        why=why,
    )
    return record
