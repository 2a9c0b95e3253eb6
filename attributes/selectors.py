"""Reads of attributes that the profile page, the directory, the admin and the API share.

The original system's names for them: `get_definitions` → `definitions()`, `get_definition` →
`definition(key)`, `get_attributes(person)` → `attributes_of(person)`, `get_attribute` →
`attribute_value(person, key)`, `get_history(person, key=None)` → `history_of(person, key)`, and
the badge/checkbox split for the page → `badges_and_checkboxes(person)`. `recent_changes`
feeds the tooltips. Each is a constant number of queries, however many definitions or changes.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, FilteredRelation, Max, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404

from attributes.models import SORT_ORDER_MAX, AttributeDefinition, AttributeHistory, PersonAttribute
from profiles.models import Person, PersonQuerySet


def definitions() -> QuerySet[AttributeDefinition]:
    """Every attribute, in display order."""
    return AttributeDefinition.objects.order_by("sort_order", "key")


def definition(key: str) -> AttributeDefinition:
    """The attribute with this key, or Http404."""
    found = AttributeDefinition.objects.filter(key=(key or "").lower()).first()
    if found is None:
        raise Http404(f"There is no attribute {key!r}.")
    return found


def next_sort_order() -> int:
    """The order that puts a new attribute after every existing one (or level with the last one,
    when that one already sits at the end of the range)."""
    last = AttributeDefinition.objects.aggregate(last=Max("sort_order"))["last"] or 0
    return min(last + 1, SORT_ORDER_MAX)


def attributes_of(person: Person) -> list[AttributeDefinition]:
    """Every attribute in order, each with this person's `value` (false when unset) and `set_at`
    (None when unset)."""
    return list(
        definitions().annotate(
            mine=FilteredRelation("values", condition=Q(values__person=person)),
            value=Coalesce(F("mine__value"), Value(False)),
            set_at=F("mine__set_at"),
        )
    )


def attribute_value(person: Person, key: str) -> bool:
    """Whether the attribute is set on the person (false when unset or unknown)."""
    return PersonAttribute.objects.filter(person=person, attribute=key, value=True).exists()


def badges_and_checkboxes(person: Person) -> tuple[list[AttributeDefinition], list[AttributeDefinition]]:
    """`attributes_of(person)` split into those shown as header badges and those shown as
    checkboxes in the Attributes section."""
    attributes = attributes_of(person)
    return (
        [attribute for attribute in attributes if attribute.show_as_badge],
        [attribute for attribute in attributes if not attribute.show_as_badge],
    )


def history_of(person: Person, key: str | None = None) -> QuerySet[AttributeHistory]:
    """The person's attribute changes, newest first, each with who made it and the attribute's
    current `label` and `color` (None once the definition is deleted)."""
    current = AttributeDefinition.objects.filter(key=OuterRef("attribute_key"))
    changes = (
        AttributeHistory.objects.filter(person=person)
        .select_related("changed_by")
        .annotate(label=Subquery(current.values("label")[:1]), color=Subquery(current.values("color")[:1]))
    )
    if key:
        changes = changes.filter(attribute_key=key)
    return changes.order_by("-changed_at", "-id")


@dataclass(frozen=True)
class RecentChange:
    """One change as a tooltip lists it: when, to what, and the username of who made it (None
    for the app)."""

    changed_at: datetime
    new_value: bool
    changed_by_username: str | None


def recent_changes(person: Person, *, per_key: int = 5) -> dict[str, list[RecentChange]]:
    """{attribute key: its newest `per_key` changes on this person, newest first}, in one query
    of the four columns the tooltips show."""
    ranked = (
        AttributeHistory.objects.filter(person=person)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("attribute_key")],
                order_by=[F("changed_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=per_key)
        .order_by("attribute_key", "rank")
        .values_list("attribute_key", "changed_at", "new_value", "changed_by__username")
    )
    changes: dict[str, list[RecentChange]] = defaultdict(list)
    for key, changed_at, new_value, changed_by in ranked:
        changes[key].append(RecentChange(changed_at, new_value, changed_by))
    return dict(changes)


def people_with(people: PersonQuerySet, key: str) -> PersonQuerySet:
    """The people among `people` who have the attribute set."""
    return people.filter(attribute_values__attribute=key, attribute_values__value=True)


def badges_by_person(person_ids) -> dict:
    """The badge attributes set on each of these people, in display order, in one query:
    `{person_id: [{"key", "label", "color"}, ...]}` (people without a badge are left out)."""
    badges: dict = defaultdict(list)
    rows = (
        PersonAttribute.objects.filter(
            person_id__in=list(person_ids), value=True, attribute__show_as_badge=True
        )
        .order_by("attribute__sort_order", "attribute__key")
        .values_list("person_id", "attribute__key", "attribute__label", "attribute__color")
    )
    for person_id, key, label, color in rows:
        badges[person_id].append({"key": key, "label": label, "color": color})
    return dict(badges)


def attributes_as_of(person: Person, moment: datetime) -> list[AttributeDefinition]:
    """The attributes set on `person` at `moment`, from their history (two queries): for each
    attribute, the value of its last change up to then."""
    changes = AttributeHistory.objects.filter(person=person, changed_at__lte=moment)
    values: dict[str, bool] = {}
    for key, value in changes.order_by("changed_at", "id").values_list("attribute_key", "new_value"):
        values[key] = value
    keys = [key for key, value in values.items() if value]
    return list(AttributeDefinition.objects.filter(key__in=keys))


def people_with_attribute(key: str, *, limit: int = 20) -> tuple[list[PersonAttribute], int]:
    """Up to `limit` people who have `key` set, most recently set first, and how many there are
    in all (two queries)."""
    rows = PersonAttribute.objects.filter(attribute_id=key, value=True)
    listed = list(rows.select_related("person__profile").order_by("-set_at")[:limit])
    return listed, (len(listed) if len(listed) < limit else rows.count())
