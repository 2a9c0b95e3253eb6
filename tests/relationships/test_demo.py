from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from relationships.models import Relationship, RelationshipHistory
from relationships.selectors import relationships


@pytest.mark.django_db
def test_the_demo_gives_the_owner_doms_subs_and_a_history_and_loads_once():
    call_command("load_demo", stdout=StringIO())
    my_doms = {(r.related_person.username, r.tier) for r in relationships(type="dom", mine=True)}
    assert my_doms == {("leather_rex", "tier1"), ("alex_lord_", "tier2")}
    assert relationships(type="blocked", mine=True).get().related_person.username == "quiet_tom"
    assert relationships(type="partner").get().profile.person.username == "jay_and_lee"
    changes = RelationshipHistory.objects.filter(action="changed")
    assert {(c.related_person.username, c.text) for c in changes} == {
        ("leather_rex", "Dom · Tier 2 → Tier 1"),
        ("alex_lord_", "Friend → Dom"),
    }
    assert all(c.profile.person.username == settings.MHC_OWNER_USERNAME for c in changes)
    counts = Relationship.objects.count(), RelationshipHistory.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert (Relationship.objects.count(), RelationshipHistory.objects.count()) == counts
    assert "relationship" not in out.getvalue()
