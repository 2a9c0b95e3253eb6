import re

from playwright.sync_api import expect

from attributes.models import AttributeDefinition
from attributes.selectors import attribute_value, history_of
from attributes.services import attribute_set
from profiles.models import SectionPreference
from tests.factories import PersonFactory, ProfileFactory


def test_ticking_an_attribute_saves_it_and_shows_the_change_in_the_tooltip_and_history(page, person):
    page.goto(f"/profile/{person.username}/")
    item = page.locator('li.attr[data-attribute="watch_list"]')
    expect(item.get_by_role("checkbox", name="Watchlist")).not_to_be_checked()
    with page.expect_response(re.compile(r"/api/profile/[a-z0-9_]+/attributes$")) as saved:
        item.get_by_role("checkbox", name="Watchlist").click()
    assert saved.value.status == 200
    expect(item).to_have_class(re.compile(r"\bis-set\b"))  # the section was re-rendered in place
    assert attribute_value(person, "watch_list") is True
    assert history_of(person).get().changed_by.username == "owner"

    page.reload()
    expect(item.get_by_role("checkbox", name="Watchlist")).to_be_checked()
    tooltip = item.locator(".attr-tip")
    expect(tooltip).to_be_hidden()
    item.hover()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("✓ set")
    expect(tooltip).to_contain_text("owner")

    page.locator("details.attr-history > summary").click()
    history = page.locator(".attr-history-table")
    expect(history).to_be_visible()
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history).to_contain_text("Watchlist")
    expect(history).to_contain_text("— → yes")

    # Unticking with the history open keeps it open and adds the change at the top.
    item.get_by_role("checkbox", name="Watchlist").click()
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").first).to_contain_text("yes → no")
    expect(page.locator("details.attr-history")).to_have_attribute("open", "")


def test_ticking_a_badge_attribute_shows_its_pill_in_the_header_without_a_reload(page, person):
    page.goto(f"/profile/{person.username}/")
    header = page.locator("#profile-header")
    expect(header.locator('[data-attribute="banned_me"]')).to_have_count(0)
    page.get_by_role("checkbox", name="Banned Me").click()
    expect(header.locator('.pill[data-attribute="banned_me"]')).to_have_text("Banned Me")
    page.get_by_role("checkbox", name="Banned Me").click()
    expect(header.locator('[data-attribute="banned_me"]')).to_have_count(0)
    assert [c.new_value for c in history_of(person)] == [False, True]


def test_profile_smoke_is_derived_from_the_edited_profile_and_cannot_be_ticked(page, person):
    page.goto(f"/profile/{person.username}/")
    smoke = page.get_by_role("checkbox", name="Profile Smoke")
    expect(smoke).to_be_disabled()
    expect(smoke).not_to_be_checked()
    page.get_by_role("button", name="Edit profile").click()
    page.get_by_label("Smoke / drink").fill("Sometimes / Yes")
    page.get_by_role("button", name="Save").click()
    expect(page.locator('#profile-header .pill[data-attribute="profile_smoke"]')).to_be_visible()
    expect(smoke).to_be_checked()
    expect(smoke).to_be_disabled()
    assert history_of(person).get().changed_by is None


def test_a_refused_change_puts_the_box_back_and_says_why(page, person):
    AttributeDefinition.objects.create(key="good_cam", label="Good cam quality", color="blue", sort_order=50)
    page.goto(f"/profile/{person.username}/")
    AttributeDefinition.objects.filter(key="good_cam").delete()  # deleted in another tab meanwhile
    box = page.get_by_role("checkbox", name="Good cam quality")
    box.click()
    expect(page.locator("#toasts")).to_contain_text("There is no attribute 'good_cam'")
    expect(box).not_to_be_checked()
    expect(box).to_be_enabled()


def test_the_directory_filters_by_attribute(page):
    watched = ProfileFactory(person=PersonFactory(username="watched_one")).person
    ProfileFactory(person=PersonFactory(username="someone_else"))
    attribute_set(person=watched, key="watch_list", value=True)
    page.goto("/people/")
    page.locator("#people-attribute").select_option(label="Watchlist")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"attribute=watch_list"))
    table = page.locator("#people-table")
    expect(table).to_contain_text("watched_one")
    expect(table).not_to_contain_text("someone_else")


def test_a_section_opened_later_loads_its_script_and_saves_ticks(page, person, owner_user):
    SectionPreference.objects.create(user=owner_user, section_key="attributes", is_open=False)
    page.goto(f"/profile/{person.username}/")
    page.locator("#section-attributes > summary").click()
    item = page.locator('li.attr[data-attribute="had_interaction"]')
    item.get_by_role("checkbox", name="Interaction").click()
    expect(item).to_have_class(re.compile(r"\bis-set\b"))
    assert attribute_value(person, "had_interaction") is True
