"""The Relationships page (`/relationships/`): everyone's or the owner's relationships, filtered
by type, tier and status, with quick filters ("My Doms", "My Subs" …), paginated."""

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relationships.models import TIER_STARS, TYPE_TONES, RelationshipType, Status, Tier
from relationships.selectors import relationships

RELATIONSHIPS_PER_PAGE = 50
# (label, type): each shows the owner's own relationships of that type.
QUICK_FILTERS = [
    ("My Doms", RelationshipType.DOM),
    ("My Subs", RelationshipType.SUB),
    ("My Friends", RelationshipType.FRIEND),
    ("Partners", RelationshipType.PARTNER),
    ("Acquaintances", RelationshipType.ACQUAINTANCE),
    ("Blocked", RelationshipType.BLOCKED),
]
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})


def _choice(value: str | None, choices: type[models.TextChoices]) -> str:
    """The value if it is one of the choices, else "" (no filter), as the people directory does."""
    return value if value in choices.values else ""


@require_GET
def relationship_list(request: HttpRequest) -> HttpResponse:
    type_ = _choice(request.GET.get("type"), RelationshipType)
    tier = _choice(request.GET.get("tier"), Tier)
    status = _choice(request.GET.get("status"), Status)
    mine = request.GET.get("mine", "").lower() in TRUE_VALUES
    found = relationships(type=type_, tier=tier, status=status, mine=mine)
    page_obj = Paginator(found, RELATIONSHIPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "relationships/relationship_list.html",
        {
            "page_obj": page_obj,
            "type": type_,
            "tier": tier,
            "status": status,
            "mine": mine,
            "quick_filters": [(label, value, TYPE_TONES[value]) for label, value in QUICK_FILTERS],
            "types": RelationshipType.choices,
            "tiers": [(value, label, "★" * TIER_STARS[value]) for value, label in Tier.choices],
            "statuses": Status.choices,
        },
    )
