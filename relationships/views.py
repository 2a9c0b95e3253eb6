"""The Relationships page (`/relationships/`): everyone's or the owner's relationships, filtered
by type, tier and status, with quick filters ("My Doms", "My Subs" …), paginated."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

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
    filters = RelationshipFilterSet(request.GET)
    if not filters.is_valid():
        # The page leaves out a value it does not know (the API refuses it with a 400).
        known = request.GET.copy()
        for name in filters.errors:
            known.pop(name, None)
        filters = RelationshipFilterSet(known)
    chosen = filters.form.cleaned_data if filters.is_valid() else {}
    type_, tier, status = (chosen.get(name) or "" for name in ("type", "tier", "status"))
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
            "quick_filters": [(label, value, TYPE_TONES[value]) for label, value in QUICK_FILTERS],
            "types": RelationshipType.choices,
            "tiers": [(value, label, "★" * TIER_STARS[value]) for value, label in Tier.choices],
            "statuses": Status.choices,
        },
    )
