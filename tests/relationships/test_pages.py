import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.models import SectionPreference
from relationships.services import relationship_create, relationship_remove, relationship_update
from tests.factories import PersonFactory, ProfileFactory, RelationshipFactory


def _section(client, username: str, query: str = "") -> str:
    response = client.get(f"/profile/{username}/sections/relationships/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_section_is_collapsed_by_default_and_loads_when_opened(auth_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    page = auth_client.get(f"/profile/{owner.username}/").content.decode()
    assert 'data-section="relationships"' in page
    assert 'id="relationships-table"' not in page
    assert 'id="relationships-table"' in _section(auth_client, owner.username)


@pytest.mark.django_db
def test_the_section_shows_each_relationship_editable_in_place(auth_client, owner, rex):
    relationship = relationship_create(
        profile=owner.profile, person=rex, type="dom", tier="tier2", notes="Thursdays"
    )
    html = _section(auth_client, owner.username)
    api_url = f"/api/profile/{owner.username}/relationships/{relationship.pk}"
    assert 'href="/profile/leather_rex/"' in html
    assert f'name="type" data-patch-url="{api_url}"' in html
    assert '<option value="dom" selected>Dom</option>' in html
    assert f'name="status" data-patch-url="{api_url}"' in html
    assert html.count('class="star on"') == 2  # tier 2 of 3
    assert 'aria-label="Tier 2" aria-pressed="true"' in html
    assert """data-body='{"tier": "tier1"}'""" in html
    assert f'data-method="DELETE" data-url="{api_url}"' in html
    assert 'data-confirm="Remove leather_rex as Dom?' in html
    assert "Thursdays" in html


@pytest.mark.django_db
def test_the_section_has_an_add_form_with_username_autocomplete(auth_client, owner):
    html = _section(auth_client, owner.username)
    assert f'data-url="/api/profile/{owner.username}/relationships"' in html
    assert 'data-autocomplete="people" list="relationship-people"' in html
    assert "No relationships recorded" in html


@pytest.mark.django_db
def test_the_section_shows_who_else_has_this_person(auth_client, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    html = _section(auth_client, rex.username)
    assert 'id="relationships-listed-by"' in html
    assert f">{owner.username}</a>" in html


@pytest.mark.django_db
def test_the_history_tab_shows_every_change_removals_included(auth_client, owner, rex, owner_user):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier2")
    relationship_update(relationship=relationship, tier="tier1", changed_by=owner_user)
    relationship_remove(relationship=relationship)
    html = _section(auth_client, owner.username, "?tab=history")
    assert 'id="relationship-history"' in html
    rows = html.split('<tr data-action="')[1:]
    assert [row.split('"')[0] for row in rows] == ["removed", "changed", "created"]
    assert "as Dom · Tier 1 · Active" in rows[0]
    assert "Dom · Tier 2 → Tier 1" in rows[1]
    assert owner_user.username in rows[1]
    assert "as Dom · Tier 2 · Active" in rows[2]


@pytest.mark.django_db
def test_the_history_tab_pages_through_long_histories(auth_client, owner, rex):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom")
    for index in range(30):
        relationship_update(relationship=relationship, tier=("tier2", "tier1")[index % 2])
    first = _section(auth_client, owner.username, "?tab=history")
    assert first.count("<tr data-action=") == 25
    assert "Page 1 of 2" in first
    assert _section(auth_client, owner.username, "?tab=history&page=2").count("<tr data-action=") == 6


@pytest.mark.django_db
def test_the_section_pages_through_many_relationships(auth_client, owner):
    for _ in range(55):
        RelationshipFactory(profile=owner.profile, type="friend")
    first = _section(auth_client, owner.username)
    assert first.count("<tr data-relationship=") == 50
    assert 'class="count">55<' in first
    assert "Page 1 of 2 · 55 relationships" in first
    assert f'hx-get="/profile/{owner.username}/sections/relationships/?page=2"' in first
    assert _section(auth_client, owner.username, "?page=2").count("<tr data-relationship=") == 5


@pytest.mark.django_db
def test_the_section_query_count_is_flat(auth_client, owner, django_assert_num_queries):
    def add(count):
        for _ in range(count):
            other = ProfileFactory().person
            relationship_create(profile=owner.profile, person=other, type="dom")
            relationship_create(profile=other.profile, person=owner, type="sub")

    add(2)
    for _ in range(2):
        # session, user, person+profile; count, page and listed-by | history count and page
        for query, queries in (("", 6), ("?tab=history", 5)):
            with django_assert_num_queries(queries):
                _section(auth_client, owner.username, query)
        add(10)


@pytest.mark.django_db
def test_the_profile_header_shows_my_relationship_with_the_person(auth_client, owner, rex, sam):
    relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier1")
    relationship_create(profile=owner.profile, person=sam, type="blocked", tier="tier3")
    rex_page = auth_client.get(f"/profile/{rex.username}/").content.decode()
    assert 'data-my-relationship="dom"' in rex_page
    assert "My Dom" in rex_page
    assert "★★★" in rex_page
    assert "Blocked" in auth_client.get(f"/profile/{sam.username}/").content.decode()
    assert "data-my-relationship" not in auth_client.get(f"/profile/{owner.username}/").content.decode()


@pytest.mark.django_db
def test_the_header_badge_costs_the_same_however_many_relationships(auth_client, owner, rex):
    with CaptureQueriesContext(connection) as before:
        auth_client.get(f"/profile/{rex.username}/")
    for type_ in ("dom", "friend", "partner"):
        relationship_create(profile=owner.profile, person=rex, type=type_)
    with CaptureQueriesContext(connection) as after:
        html = auth_client.get(f"/profile/{rex.username}/").content.decode()
    assert html.count("data-my-relationship") == 3
    assert len(after) == len(before)


@pytest.mark.django_db
def test_the_activity_log_tells_relationship_changes(auth_client, owner, rex, owner_user):
    relationship = relationship_create(profile=owner.profile, person=rex, type="dom", tier="tier2")
    relationship_update(relationship=relationship, tier="tier1")
    SectionPreference.objects.create(user=owner_user, section_key="activity", is_open=True)
    mine = auth_client.get(f"/profile/{owner.username}/").content.decode()
    assert f"Relationship {owner.username} → leather_rex: Dom · Tier 2 → Tier 1" in mine
    assert f"Relationship {owner.username} → leather_rex: added as Dom · Tier 2 · Active" in mine
    rexs = auth_client.get(f"/profile/{rex.username}/").content.decode()
    assert f"Relationship {owner.username} → leather_rex: Dom · Tier 2 → Tier 1" in rexs


@pytest.mark.django_db
def test_relationships_page_is_linked_from_the_navigation(auth_client, owner):
    html = auth_client.get("/people/").content.decode()
    assert 'href="/relationships/"' in html


@pytest.fixture
def doms_and_others(owner, rex, sam):
    alex = ProfileFactory(person=PersonFactory(username="alex_lord_")).person
    RelationshipFactory(profile=owner.profile, related_person=rex, type="dom", tier="tier1")
    RelationshipFactory(profile=owner.profile, related_person=alex, type="dom", tier="tier2")
    RelationshipFactory(profile=owner.profile, related_person=sam, type="sub", tier="tier1")
    RelationshipFactory(profile=alex.profile, related_person=sam, type="dom", tier="tier1")


def _listed(html: str) -> list[str]:
    """Usernames in the Person column of the relationships page, in order."""
    table = html.split('id="relationships-list"')[1].split("</table>")[0]
    return [row.split('href="/profile/')[1].split("/")[0] for row in table.split("<tr>")[2:]]


@pytest.mark.django_db
def test_my_doms_lists_the_owners_doms_with_links_to_their_profiles(auth_client, doms_and_others):
    html = auth_client.get("/relationships/?mine=1&type=dom").content.decode()
    assert _listed(html) == ["leather_rex", "alex_lord_"]
    assert 'aria-current="page">My Doms</a>' in html


@pytest.mark.django_db
def test_the_page_filters_by_tier_and_shows_everyones_by_default(auth_client, doms_and_others):
    everyone = auth_client.get("/relationships/").content.decode()
    assert sorted(_listed(everyone)) == ["alex_lord_", "leather_rex", "sub_sam", "sub_sam"]
    assert "<th>Whose</th>" in everyone
    tier1_doms = auth_client.get("/relationships/?type=dom&tier=tier1").content.decode()
    assert _listed(tier1_doms) == ["leather_rex", "sub_sam"]
    assert _listed(auth_client.get("/relationships/?mine=1&tier=tier1").content.decode()) == [
        "leather_rex",
        "sub_sam",
    ]


@pytest.mark.django_db
def test_unknown_filter_values_are_ignored_and_the_page_says_so(auth_client, doms_and_others):
    response = auth_client.get("/relationships/?type=nonsense&tier=9&status=x&mine=maybe&page=abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(_listed(html)) == 4
    for name, value in (("type", "nonsense"), ("tier", "9"), ("status", "x"), ("mine", "maybe")):
        assert f"The {name} filter was ignored: “{value}” is not one of its choices." in html
    assert "Type must be one of: dom, sub" in html
    assert "was ignored" not in auth_client.get("/relationships/?type=dom").content.decode()


@pytest.mark.django_db
def test_the_page_says_so_when_nothing_matches(auth_client, owner):
    assert (
        "No relationship matches these filters."
        in auth_client.get("/relationships/?type=partner").content.decode()
    )
    assert "No relationships recorded yet" in auth_client.get("/relationships/").content.decode()


@pytest.mark.django_db
def test_the_page_is_paginated_with_a_flat_query_count(auth_client, owner, django_assert_num_queries):
    for _ in range(55):
        RelationshipFactory(profile=owner.profile, type="dom")
    with django_assert_num_queries(4):  # session, user, count, page
        first = auth_client.get("/relationships/?mine=1&type=dom").content.decode()
    assert len(_listed(first)) == 50
    assert "Page 1 of 2" in first
    with django_assert_num_queries(4):
        assert len(_listed(auth_client.get("/relationships/?mine=1&type=dom&page=2").content.decode())) == 5


@pytest.mark.django_db
def test_the_page_offers_to_add_to_my_relationships(auth_client):
    html = auth_client.get("/relationships/").content.decode()
    assert f'data-url="/api/profile/{settings.MHC_OWNER_USERNAME}/relationships"' in html
    assert 'data-autocomplete="people"' in html


@pytest.mark.django_db
def test_the_page_sends_anonymous_users_to_login(client):
    response = client.get("/relationships/")
    assert response.status_code == 302
    assert "/login/" in response.url
