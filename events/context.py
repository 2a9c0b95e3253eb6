"""Who is acting right now, so that services record events without threading an actor through
every call: a request (the signed-in user), a job or a command sets it for the code it runs.

    with acting_as(Actor.job("affiliate-polling")):
        ...  # every event recorded here says the job did it
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Actor:
    """Who made a change: the owner, another user the owner granted, the app itself, a job or a
    management command. `name` is the account's username, the job's key or the command's name."""

    kind: str
    name: str = ""

    @classmethod
    def for_user(cls, user) -> "Actor":
        """The owner is the superuser account; anyone else signed in is a granted user."""
        if user is None or not user.is_authenticated:
            return cls.app()
        return cls("owner" if user.is_superuser else "user", user.get_username())

    @classmethod
    def app(cls) -> "Actor":
        return cls("app")

    @classmethod
    def job(cls, key: str) -> "Actor":
        return cls("job", key)

    @classmethod
    def command(cls, name: str) -> "Actor":
        return cls("command", name)


_actor: ContextVar[Actor | None] = ContextVar("mhc_event_actor", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("mhc_event_request", default=None)
_undoing: ContextVar[tuple[object, str] | None] = ContextVar("mhc_event_undoing", default=None)


def current_actor() -> Actor:
    """The actor set by `acting_as`, else the user of the request being served, else the app.

    The request's user is read when the event is recorded, not when the request comes in: DRF
    authenticates a token inside the view and then sets the user on the Django request too.
    """
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    if request is not None:
        return Actor.for_user(getattr(request, "user", None))
    return Actor.app()


def current_user():
    """The signed-in account of the request being served, where no job or command acts for it
    (`acting_as`), else None: who a history row's `changed_by` names for a change made now."""
    request = _request.get()
    if _actor.get() is not None or request is None:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@contextmanager
def serving(request: HttpRequest) -> Iterator[HttpRequest]:
    token = _request.set(request)
    try:
        yield request
    finally:
        _request.reset(token)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


@contextmanager
def undoing(event, why: str = "") -> Iterator[None]:
    """Every event recorded inside says it undoes `event` (and carries `why` unless it has its
    own): an undo is made by the app's ordinary services, which record their own events."""
    token = _undoing.set((event, why))
    try:
        yield
    finally:
        _undoing.reset(token)


def current_undo() -> tuple[object, str] | None:
    """(the event being undone, the undo's why), or None outside an undo."""
    return _undoing.get()
