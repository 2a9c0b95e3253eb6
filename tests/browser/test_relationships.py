import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from profiles.models import Person
from relationships.models import Relationship, RelationshipHistory
from relationships.services import relationship_create
from tests.factories import PersonFactory, ProfileFactory


@pytest.fixture
def owner(db):
    return ProfileFactory(person=PersonFactory(username=settings.MHC_OWNER_USERNAME, role="viewer")).person


@pytest.fixture
def rex(db):
    return ProfileFactory(person=PersonFactory(username="leather_rex"), display_name="Rex").person


def _open_section(page, username: str):
    page.goto(f"/profile/{username}/")
    section = page.locator("#section-relationships")
    section.locator("summary").click()
    expect(section.get_by_role("button", name="History")).to_be_visible()
    return section


def test_add_a_dom_change_its_tier_find_them_under_my_doms_and_see_both_in_the_history(page, owner, rex):
    section = _open_section(page, owner.username)
    section.get_by_label("Add someone").fill("leather_rex")
    section.get_by_label("as", exact=True).select_option("dom")
    section.get_by_label("Tier", exact=True).select_option("tier2")
    section.get_by_role("button", name="Add").click()
    row = section.locator('tr[data-relationship="leather_rex:dom"]')
    expect(row.locator(".star.on")).to_have_count(2)

    row.get_by_role("button", name="Tier 1").click()
    expect(row.get_by_role("button", name="Tier 1")).to_have_attribute("aria-pressed", "true")
    expect(row.locator(".star.on")).to_have_count(3)

    page.get_by_role("navigation").get_by_role("link", name="Relationships", exact=True).click()
    page.get_by_role("link", name="My Doms").click()
    expect(page.get_by_role("link", name="My Doms")).to_have_attribute("aria-current", "page")
    listed = page.locator("#relationships-list")
    expect(listed).to_contain_text("leather_rex")
    listed.get_by_role("link", name="leather_rex").click()
    expect(page).to_have_url(re.compile(r"/profile/leather_rex/$"))
    expect(page.locator("#header-badges")).to_contain_text("My Dom")

    page.goto(f"/profile/{owner.username}/")
    section = page.locator("#section-relationships")
    expect(section).to_have_attribute("open", "")  # remembered from before
    section.get_by_role("button", name="History").click()
    history = section.locator("#relationship-history")
    expect(history.locator("tr[data-action]")).to_have_count(2)
    expect(history.locator('tr[data-action="created"]')).to_contain_text("as Dom · Tier 2 · Active")
    expect(history.locator('tr[data-action="changed"]')).to_contain_text("Dom · Tier 2 → Tier 1")
    expect(history.locator('tr[data-action="changed"]')).to_contain_text("owner")


def test_changing_type_and_status_in_place_and_a_refused_change_is_put_back(page, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="friend")
    relationship_create(profile=owner.profile, person=rex, type="dom")
    section = _open_section(page, owner.username)
    friend = section.locator('tr[data-relationship="leather_rex:friend"]')
    status = friend.get_by_label("Status of leather_rex as Friend")
    status.select_option("on_hold")
    expect(status).to_have_class(re.compile(r"\btone-orange\b"))  # the row as the server re-rendered it
    expect(status).to_have_value("on_hold")
    friend.get_by_label("Type of leather_rex").select_option("dom")  # the pair already has dom
    expect(page.locator(".toast.error")).to_contain_text("already has leather_rex as Dom")
    expect(friend.get_by_label("Type of leather_rex")).to_be_enabled()  # re-rendered after the refusal
    expect(friend.get_by_label("Type of leather_rex")).to_have_value("friend")
    friend.get_by_label("Type of leather_rex").select_option("partner")
    expect(section.locator('tr[data-relationship="leather_rex:partner"]')).to_be_visible()
    assert sorted(Relationship.objects.values_list("type", flat=True)) == ["dom", "partner"]
    assert RelationshipHistory.objects.filter(action="changed").count() == 2


def test_removing_asks_first_and_the_history_keeps_it(page, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    section = _open_section(page, owner.username)
    remove = section.get_by_role("button", name="Remove leather_rex as Dom")
    page.once("dialog", lambda dialog: dialog.dismiss())
    remove.click()
    expect(remove).to_be_visible()
    assert Relationship.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    remove.click()
    expect(section.get_by_text("No relationships recorded")).to_be_visible()
    section.get_by_role("button", name="History").click()
    expect(section.locator('tr[data-action="removed"]')).to_contain_text("as Dom · Tier 1 · Active")


def test_a_bad_add_shows_the_error_in_the_form(page, owner, rex):
    relationship_create(profile=owner.profile, person=rex, type="dom")
    section = _open_section(page, owner.username)
    section.get_by_label("Add someone").fill("leather_rex")
    section.get_by_role("button", name="Add").click()
    expect(section.locator(".relationship-add .form-error")).to_contain_text("already has leather_rex as Dom")
    section.get_by_label("Add someone").fill(owner.username)
    section.get_by_label("as", exact=True).select_option("friend")
    section.get_by_role("button", name="Add").click()
    expect(section.locator(".relationship-add .form-error")).to_contain_text("themself")
    assert Relationship.objects.count() == 1


def test_the_owner_adds_to_their_relationships_from_the_relationships_page(page, rex):
    assert not Person.objects.filter(username=settings.MHC_OWNER_USERNAME).exists()
    page.goto("/relationships/")
    page.get_by_label("Add to my relationships").fill("leather_rex")
    page.get_by_label("as", exact=True).select_option("sub")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#relationships-list")).to_contain_text("leather_rex")  # the page reloaded
    page.get_by_role("link", name="My Subs").click()
    expect(page.get_by_role("link", name="My Subs")).to_have_attribute("aria-current", "page")
    expect(page.locator("#relationships-list")).to_contain_text("leather_rex")
    assert Relationship.objects.get().profile.person.username == settings.MHC_OWNER_USERNAME
