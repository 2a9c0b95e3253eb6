"""A small keyed registry of page parts, filled by apps from `AppConfig.ready()`."""

from typing import Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured


class Part(Protocol):
    key: str
    order: int


P = TypeVar("P", bound=Part)


class Registry(Generic[P]):
    """Parts by key, listed by (order, key). Registering a different part under a taken key is a
    configuration error; registering the same part again (a second `ready()`) is harmless."""

    def __init__(self, kind: str):
        self._kind = kind
        self._parts: dict[str, P] = {}

    def register(self, part: P) -> P:
        existing = self._parts.get(part.key)
        if existing is not None and existing != part:
            raise ImproperlyConfigured(f"Two different {self._kind}s are registered as {part.key!r}.")
        self._parts[part.key] = part
        return part

    def get(self, key: str) -> P | None:
        return self._parts.get(key)

    def all(self) -> list[P]:
        return sorted(self._parts.values(), key=lambda part: (part.order, part.key))
