"""The Relationships page (`/relationships/`): everyone's or the owner's relationships, filtered
by type, tier and status, with quick filters ("My Doms", "My Subs" …), paginated."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mhc.filters import chosen, filters_for_page
from relationships.filters import RelationshipFilterSet
from relationships.models import TIER_STARS, TYPE_TONES, RelationshipType, Status, Tier

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


@require_GET
def relationship_list(request: HttpRequest) -> HttpResponse:
    filters = filters_for_page(RelationshipFilterSet, request.GET)
    type_, tier, status = (chosen(filters, name) for name in ("type", "tier", "status"))
    mine = filters.owner_only
    found = filters.qs
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
            "refused": filters.refused,
            "quick_filters": [(label, value, TYPE_TONES[value]) for label, value in QUICK_FILTERS],
            "types": RelationshipType.choices,
            "tiers": [(value, label, "★" * TIER_STARS[value]) for value, label in Tier.choices],
            "statuses": Status.choices,
        },
    )
