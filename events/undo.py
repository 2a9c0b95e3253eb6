"""Undoing one change from the history.

Each app says which of its event kinds can be undone and how (`register_undo`, from its
`AppConfig.ready()`): the handler puts the old value back through the app's ordinary services,
which record their own events; inside `event_undo` those events say they undo the original.
A change that a later change has overtaken is refused (409), as is undoing a change twice.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When

from events.context import undoing
from events.models import Event, EventQuerySet
from mhc.exceptions import Conflict

UndoHandler = Callable[[Event], None]
TargetExists = Callable[[], Exists]
_handlers: dict[str, UndoHandler] = {}
_refusals: dict[str, Callable[[Event], str]] = {}
_targets: dict[str, TargetExists] = {}


def register_undo(
    *kinds: str,
    handler: UndoHandler,
    refused: Callable[[Event], str] | None = None,
    target: TargetExists | None = None,
) -> None:
    """`handler` undoes events of `kinds`; `refused(event)`, if given, says from the event alone
    (no query: the history asks it of every row) why that one can never be undone, or "";
    `target()`, if given, builds an `Exists` on the event's row (`OuterRef`) that is true while
    what the event changed is still there, which the history reads with the events (`with_undo_state`)."""
    for kind in kinds:
        _handlers[kind] = handler
        if refused is not None:
            _refusals[kind] = refused
        if target is not None:
            _targets[kind] = target


def undoable_kinds() -> frozenset[str]:
    return frozenset(_handlers)


def undo_refusal(event: Event) -> str:
    """Why the history does not offer to undo `event`, or "" if it does: a kind without a
    handler, one its handler's `refused` rules out, one carried over from the tables that came
    before the event log, one whose target is gone (when `target_exists` is known), or one
    undone already (when `is_undone` is known)."""
    if event.kind not in _handlers:
        return "This kind of change cannot be undone from the history."
    refused = _refusals.get(event.kind)
    if refused is not None and (reason := refused(event)):
        return reason
    if (event.data or {}).get("backfilled"):
        return "This change was recorded before the history kept what an undo needs."
    if not getattr(event, "target_exists", True):
        return "What this change was made to has been deleted since, so it cannot be undone."
    if getattr(event, "is_undone", False):
        return "This change has already been undone."
    return ""


def can_undo(event: Event) -> bool:
    """Whether the history offers to undo `event` (see `undo_refusal`)."""
    return not undo_refusal(event)


def with_undo_state(events: EventQuerySet) -> EventQuerySet:
    """Each event with `is_undone`, whether a later event undoes it, and `target_exists`, whether
    what it changed is still there (true for the kinds that register no `target`), in the same
    query."""
    kinds_by_target: dict[TargetExists, list[str]] = defaultdict(list)
    for kind, target in _targets.items():
        kinds_by_target[target].append(kind)
    target_exists = Case(
        *(When(kind__in=kinds, then=target()) for target, kinds in kinds_by_target.items()),
        default=Value(True),
        output_field=BooleanField(),
    )
    return events.annotate(
        is_undone=Exists(Event.objects.filter(undoes=OuterRef("pk"))), target_exists=target_exists
    )


def event_person(event: Event, *, other: bool = False):
    """The person an event is about (or its other party), or a Conflict if they are gone."""
    from profiles.models import Person  # profiles records events, so it is imported late here

    person_id = event.other_person_id if other else event.person_id
    username = event.other_username if other else event.username
    person = Person.objects.with_profile().filter(pk=person_id).first()
    if person is None:
        raise Conflict(f"{username or 'The person'} is no longer in the app, so this cannot be undone.")
    return person


def overtaken(what: str) -> Conflict:
    return Conflict(f"{what} has changed since, so this change cannot be undone; change it by hand.")


@transaction.atomic
def event_undo(*, event: Event, why: str = "") -> list[Event]:
    """Undo the change `event` recorded; returns the events of the undo (each `undoes` it)."""
    if refusal := undo_refusal(event):
        raise Conflict(refusal)
    # Locking the event serialises two undos of the same change.
    Event.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True).first()
    if Event.objects.filter(undoes=event).exists():
        raise Conflict("This change has already been undone.")
    with undoing(event, why):
        _handlers[event.kind](event)
    done = list(Event.objects.filter(undoes=event).order_by("id"))
    if not done:
        raise Conflict("Nothing to undo: it is already as it was before this change.")
    return done
