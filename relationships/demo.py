"""Demo relationships: the owner's doms, sub, friend and a block, and a few between other people,
with a tier change and a type change so the history viewer has something to show."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from relationships.models import RelationshipType, Status, Tier
from relationships.selectors import relationships_of
from relationships.services import profile_get_or_create, relationship_create, relationship_update

ME = None  # the owner (MHC_OWNER_USERNAME, read when loading)

# (whose, with whom, type, tier, status, started days ago or None, notes)
DEMO_RELATIONSHIPS = [
    (ME, "leather_rex", RelationshipType.DOM, Tier.TIER2, Status.ACTIVE, 400, "Thursday sessions."),
    (ME, "alex_lord_", RelationshipType.FRIEND, Tier.TIER2, Status.OCCASIONAL, 120, ""),
    (ME, "sub_sam", RelationshipType.SUB, Tier.TIER1, Status.ACTIVE, 200, ""),
    (ME, "kinky_kai", RelationshipType.FRIEND, Tier.TIER2, Status.ACTIVE, None, "Met in liiamspears' room."),
    (ME, "bricktiger", RelationshipType.ACQUAINTANCE, Tier.TIER3, Status.POTENTIAL, None, ""),
    (ME, "quiet_tom", RelationshipType.BLOCKED, Tier.TIER3, Status.ACTIVE, None, "Spam in private messages."),
    (
        "jay_and_lee",
        "marco_roma",
        RelationshipType.PARTNER,
        Tier.TIER2,
        Status.OCCASIONAL,
        60,
        "Guest shows.",
    ),
    ("bricktiger", "leather_rex", RelationshipType.FRIEND, Tier.TIER1, Status.ACTIVE, 900, ""),
]
# What happened after they were added: (whose, with whom, type as added, changes).
DEMO_CHANGES = [
    (ME, "leather_rex", RelationshipType.DOM, {"tier": Tier.TIER1}),
    (ME, "alex_lord_", RelationshipType.FRIEND, {"type": RelationshipType.DOM}),
]


def load(demo) -> None:
    today = timezone.localdate()
    added = set()
    # A pair that has any relationship already was loaded before (its type may have changed since).
    for whose, other, type_, tier, status, days_ago, notes in DEMO_RELATIONSHIPS:
        whose = whose or settings.MHC_OWNER_USERNAME
        profile = profile_get_or_create(person=demo.people[whose])
        if relationships_of(profile).filter(related_person=demo.people[other]).exists():
            continue
        relationship_create(
            profile=profile,
            person=demo.people[other],
            type=type_,
            tier=tier,
            status=status,
            notes=notes,
            started_at=today - timedelta(days=days_ago) if days_ago is not None else None,
        )
        added.add((whose, other))
        demo.say(f"relationship {whose} → {other} ({type_.label})")
    for whose, other, type_, changes in DEMO_CHANGES:
        whose = whose or settings.MHC_OWNER_USERNAME
        if (whose, other) not in added:
            continue
        profile = profile_get_or_create(person=demo.people[whose])
        relationship = relationships_of(profile).get(related_person=demo.people[other], type=type_)
        relationship_update(relationship=relationship, **changes)
