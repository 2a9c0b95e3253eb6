"""The event log: one append-only row per change a user cares about.

People are referenced by id and username as they were when the event happened, not by foreign
key: an event outlives a rename, a merge or a deleted person, and nothing ever rewrites it.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a recorded event."""


class EventQuerySet(models.QuerySet):
    def concerning(self, *person_ids) -> "EventQuerySet":
        """Events about any of these people, as the subject or as the other party."""
        return self.filter(Q(person_id__in=person_ids) | Q(other_person_id__in=person_ids))

    def of_kinds(self, *prefixes: str) -> "EventQuerySet":
        """Events whose kind is one of `prefixes` or starts with one of them and a dot
        ("note" matches "note.created" and "note.deleted")."""
        condition = Q()
        for prefix in prefixes:
            condition |= Q(kind=prefix) | Q(kind__startswith=f"{prefix}.")
        return self.filter(condition)

    def update(self, **kwargs):
        raise AppendOnlyError("Events are never changed.")

    def delete(self):
        raise AppendOnlyError("Events are never removed.")


class Event(models.Model):
    """Something that happened: `kind` says what ("collaboration.removed"), `summary` says it in
    words, `data` keeps the values before and after (what an undo needs), `why` the user's reason."""

    class ActorKind(models.TextChoices):
        OWNER = "owner", "Owner"
        USER = "user", "Granted user"
        APP = "app", "The app"
        JOB = "job", "Job"
        COMMAND = "command", "Command"

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    kind = models.CharField(max_length=64, db_index=True)
    summary = models.CharField(max_length=300)
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    username = models.CharField(max_length=64, blank=True)
    other_person_id = models.UUIDField(null=True, blank=True, db_index=True)
    other_username = models.CharField(max_length=64, blank=True)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices, default=ActorKind.APP)
    actor_name = models.CharField(max_length=150, blank=True)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    why = models.TextField(blank=True)
    undoes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "event"
        verbose_name_plural = "events"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="events_event_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Events are never removed.")

    @property
    def actor_label(self) -> str:
        """Who did it, in words: "the owner", "granted user ana", "job affiliate-polling"."""
        if self.actor_kind == self.ActorKind.OWNER:
            return "the owner"
        if self.actor_kind == self.ActorKind.APP or not self.actor_name:
            return (
                "the app" if self.actor_kind == self.ActorKind.APP else self.get_actor_kind_display().lower()
            )
        return f"{self.get_actor_kind_display().lower()} {self.actor_name}"

    @property
    def group(self) -> str:
        """The kind's first word ("note" of "note.deleted"): what the history filters by."""
        return self.kind.split(".", 1)[0]
