"""How a merge treats the rows of one model, where the generic treatment is not enough.

The merge moves every row that refers to the merged person (or their profile) to the kept one.
Two kinds of rows need a choice, and the merge makes it the same way for every model:

- a row that would refer to the kept person twice (a collaboration of the two, a relationship
  of one with the other) is dropped;
- rows that would break a unique constraint together (two values of one attribute, two
  collaborations with the same third person, two profiles) become one: the kept person's row
  survives and the others are dropped, unless the model's rule says how the merged row steps
  out of the constraint instead (`yields`: one primary image, the other stays as an image).

An app registers a `MergeRule` from its `AppConfig.ready()` to fold what the dropped rows knew
into the survivor (`combine`: notes joined, the earliest first-seen, a set attribute wins), to
name a constraint its rows step out of (`yields`), or to point out a move the owner should know
about (`explain`). Models without a rule are merged by the generic treatment alone.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from profiles.models import PROFILE_EDITABLE_FIELDS
from profiles.registry import Registry

Row = dict[str, Any]  # a row as {attname: value}
Names = dict[Any, str]  # person id → username, for every person the rows refer to


@dataclass(frozen=True)
class Resolution:
    """What `combine` decided: new values for the surviving row, and each choice in words."""

    updates: Row = field(default_factory=dict)
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepOut:
    """How a merged row steps out of a conditional unique constraint instead of being dropped:
    the `values` it takes, and the conflict and choice in words ({keep} and {merge} are the
    usernames)."""

    values: Row
    conflict: str
    choice: str


@dataclass(frozen=True)
class MergeRule:
    """`model` is the model's label ("collaborations.collaboration").

    - `combine(survivor, dropped, names)`: the survivor's new values, given the rows that fold
      into it (all as they will be after the merge, people already replaced);
    - `yields`: {constraint name: StepOut} for a conditional unique constraint a merged row
      steps out of instead of being dropped;
    - `explain(row, names)`: a sentence for a moved row the owner should hear about, or "".
    """

    model: str
    combine: Callable[[Row, list[Row], Names], Resolution] | None = field(default=None, compare=False)
    yields: dict[str, StepOut] = field(default_factory=dict, compare=False)
    explain: Callable[[Row, Names], str] | None = field(default=None, compare=False)
    order: int = 0

    @property
    def key(self) -> str:
        return self.model


merge_rules: Registry[MergeRule] = Registry("merge rule")


def register_merge_rule(rule: MergeRule) -> MergeRule:
    return merge_rules.register(rule)


def joined_text(*texts: str) -> str:
    """Distinct non-empty texts, in order, one per line: how notes of two rows become one."""
    return "\n".join(dict.fromkeys(text.strip() for text in texts if text and text.strip()))


def pair_combine(survivor: Row, dropped: list[Row], names: Names, *, since: str) -> Resolution:
    """For a pair stored once (collaborations, alternate accounts): the earliest `since` and the
    notes of both."""
    rows = [survivor, *dropped]
    updates = {since: min(row[since] for row in rows), "notes": joined_text(*(row["notes"] for row in rows))}
    return Resolution({k: v for k, v in updates.items() if survivor[k] != v}, ("one row kept, notes joined",))


PROFILE_FIELDS = PROFILE_EDITABLE_FIELDS


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def profile_combine(survivor: Row, dropped: list[Row], names: Names) -> Resolution:
    """The kept person's profile fields win, except where they are empty."""
    updates, choices = {}, []
    for other in dropped:
        for name in PROFILE_FIELDS:
            mine, theirs = updates.get(name, survivor[name]), other[name]
            if _empty(theirs) or mine == theirs:
                continue
            if _empty(mine):
                updates[name] = theirs
                choices.append(f"{name} taken from the merged profile (empty on the kept one)")
            else:
                choices.append(f"{name} differs: the kept profile's value stays")
    return Resolution(updates, tuple(choices) or ("the kept profile stays",))


def register() -> None:
    register_merge_rule(MergeRule(model="profiles.profile", combine=profile_combine))
    register_merge_rule(
        MergeRule(
            model="profiles.alternateaccount",
            combine=lambda survivor, dropped, names: pair_combine(
                survivor, dropped, names, since="created_at"
            ),
        )
    )
