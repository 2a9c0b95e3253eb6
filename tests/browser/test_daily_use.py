"""The daily flows in the browser: the history (filter, why, undo, as of), the home page, adding
a person, a group of collaborators, bulk edits, live directory filters and sorting, and the
in-page actions that no longer reload the page."""

import re

from playwright.sync_api import expect

from attributes.models import PersonAttribute
from attributes.services import attribute_set
from collaborations.selectors import are_collaborators
from events.models import Event
from media.models import MediaRecord
from profiles.models import Person, Profile
from relationships.models import Relationship
from tests.factories import PersonFactory, ProfileFactory


def open_section(page, key: str):
    section = page.locator(f"#section-{key}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    expect(section.locator(".section-body")).to_have_attribute("data-loaded", "1")
    return section


def mark_page(page) -> None:
    """A flag a full reload would wipe: in-page actions must leave it in place."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"


def test_the_history_filters_by_kind_keeps_the_why_and_undoes_a_change(page):
    rex = ProfileFactory(person__username="leather_rex").person
    page.goto("/profile/leather_rex/")
    attributes = open_section(page, "attributes")
    attributes.get_by_label("Why (optional, kept with the next change)").fill("asked for my address")
    with page.expect_response(re.compile(r"/api/profile/leather_rex/attributes$")):
        attributes.locator('input[data-attribute-key="watch_list"]').check()
    activity = open_section(page, "activity")
    expect(activity).to_contain_text("Watchlist set on leather_rex")
    expect(activity).to_contain_text("why: asked for my address")
    expect(activity).to_contain_text("by the owner")

    activity.get_by_label("Show").select_option("note")
    expect(activity).to_contain_text("Nothing of this kind has happened")
    activity.get_by_label("Show").select_option("attribute")
    undo = activity.get_by_role("button", name="Undo")
    # The section reloads for the filter; on a loaded machine that can take longer than a click waits.
    expect(undo).to_be_visible(timeout=30_000)
    page.once("dialog", lambda dialog: dialog.accept())
    undo.click()
    expect(page.locator("#toasts")).to_contain_text("Change undone.")
    expect(activity).to_contain_text("Watchlist cleared on leather_rex")
    expect(activity.locator("li", has_text="Watchlist set")).to_contain_text("undone")
    expect(activity.get_by_label("Show")).to_have_value("attribute")  # still filtered as it was
    assert not PersonAttribute.objects.get(person=rex, attribute_id="watch_list").value

    activity.get_by_role("button", name="As of a date").click()
    activity.get_by_label("Attributes and relationships as they were at the end of").fill("2020-01-01")
    activity.get_by_role("button", name="Show").click()
    expect(activity.locator("#as-of")).to_contain_text("No attribute was set.")


def test_a_filter_swapped_in_answers_a_change_made_the_moment_it_appears(page):
    """htmx wires up swapped-in controls when it settles; until then a change sends nothing. The
    second choice is made from a MutationObserver, before anything else can run."""
    rex = ProfileFactory(person__username="leather_rex").person
    attribute_set(person=rex, key="watch_list", value=True)
    page.goto("/profile/leather_rex/")
    activity = open_section(page, "activity")
    page.evaluate(
        """() => {
        const body = document.querySelector("#section-activity .section-body");
        const first = body.querySelector("select[data-activity-kind]");
        const observer = new MutationObserver(() => {
          const select = body.querySelector("select[data-activity-kind]");
          if (!select || select === first || select.value !== "note") return;
          observer.disconnect();
          select.value = "attribute";
          select.dispatchEvent(new Event("change", { bubbles: true }));
          body.dataset.secondChoice = "made";
        });
        observer.observe(body, { childList: true, subtree: true });
      }"""
    )
    activity.get_by_label("Show").select_option("note")
    expect(activity.locator(".section-body")).to_have_attribute("data-second-choice", "made")
    # The note filter's answer is in; the attribute filter's must replace it.
    expect(activity).not_to_contain_text("Nothing of this kind", timeout=30_000)
    expect(activity.get_by_role("button", name="Undo")).to_be_visible()
    expect(activity.get_by_label("Show")).to_have_value("attribute")


def test_the_home_page_shows_what_happened_and_who_is_watched(page):
    rex = ProfileFactory(person__username="leather_rex").person
    attribute_set(person=rex, key="watch_list", value=True)
    page.goto("/")
    expect(page.locator("#home-activity")).to_contain_text("Watchlist set on leather_rex")
    expect(page.locator("#home-watch-list").get_by_role("link", name="leather_rex")).to_be_visible()
    expect(page.locator("#home-library")).to_contain_text("Last library check")
    page.locator("#home-watch-list").get_by_role("link", name="leather_rex").click()
    expect(page).to_have_url(re.compile(r"/profile/leather_rex/$"))


def test_adding_a_person_from_the_directory_opens_their_profile_and_errors_use_labels(page):
    PersonFactory(username="taken_name")
    page.goto("/people/")
    page.get_by_role("button", name="+ Add person").click()
    dialog = page.locator("#add-person")
    dialog.get_by_label("Username").fill("not valid!")
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(dialog.locator(".form-error")).to_have_text(re.compile(r"^Username: Enter a valid username"))
    dialog.get_by_label("Username").fill("New_Guy")
    dialog.get_by_label("Role").select_option("model")
    dialog.get_by_label("Display name (optional)").fill("The New Guy")
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(page).to_have_url(re.compile(r"/profile/new_guy/$"))
    expect(page.locator("#profile-header")).to_contain_text("The New Guy")
    assert Person.objects.get(username="new_guy").role == "model"


def test_directory_filters_apply_as_they_change_and_columns_sort(page):
    for username, followers in (("amy_1", 10), ("bob_1", 300), ("cid_1", 20)):
        ProfileFactory(person__username=username, followers=followers)
    page.goto("/people/")
    mark_page(page)
    page.get_by_label("Username starts with, or display name contains").fill("bo")
    expect(page.locator("#people-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=bo"))
    page.get_by_label("Username starts with, or display name contains").fill("")
    expect(page.locator("#people-table tbody tr")).to_have_count(3)
    page.locator("#people-table").get_by_role("link", name="Followers").click()
    expect(page.locator("#people-table tbody tr").first).to_contain_text("amy_1")
    page.locator("#people-table").get_by_role("link", name="Followers").click()
    expect(page.locator("#people-table tbody tr").first).to_contain_text("bob_1")
    expect(page.locator('#people-table th[aria-sort="descending"]')).to_contain_text("Followers")


def test_bulk_edit_sets_an_attribute_and_adds_a_relationship_for_the_selected_people(page):
    for username in ("amy_1", "bob_1", "cid_1"):
        ProfileFactory(person__username=username)
    page.goto("/people/")
    mark_page(page)
    page.get_by_label("Select amy_1").check()
    page.get_by_label("Select cid_1").check()
    bar = page.locator("#bulk-bar")
    expect(bar).to_contain_text("2 selected")
    bar.get_by_label("Attribute", exact=True).select_option("watch_list")
    bar.get_by_role("button", name="Apply").click()
    expect(page.locator("#toasts")).to_contain_text("Changed 2 of 2 selected.")
    set_for = PersonAttribute.objects.filter(attribute_id="watch_list", value=True).values_list(
        "person__username", flat=True
    )
    assert sorted(set_for) == ["amy_1", "cid_1"]
    assert Event.objects.filter(kind="attribute.set").count() == 2
    expect(bar).to_be_hidden()  # the results were fetched again, with nobody ticked

    page.get_by_label("Select bob_1").check()
    expect(bar.get_by_label("Attribute", exact=True)).to_have_value("watch_list")  # the choices stay
    bar.get_by_label("My", exact=True).select_option("friend")
    bar.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#toasts")).to_contain_text("Changed 1 of 1 selected.")
    assert Relationship.objects.of_owner().get().related_person.username == "bob_1"
    assert_not_reloaded(page)


def test_a_group_of_collaborators_is_added_from_chips_and_new_people_are_flagged(page):
    ProfileFactory(person__username="jay_and_lee")
    PersonFactory(username="leather_rex")
    page.goto("/profile/jay_and_lee/")
    section = open_section(page, "collaborators")
    section.get_by_role("button", name="+ Group").click()
    dialog = page.locator("#add-collaboration-group")
    chips = dialog.get_by_label("Usernames")
    chips.fill("leather_rex")
    chips.press("Enter")
    chips.fill("brand_new_guest")
    chips.press("Enter")
    expect(dialog.locator(".chip[data-username]")).to_have_count(2)
    dialog.get_by_role("button", name="Add group").click()
    expect(page.locator("#toasts")).to_contain_text("3 new pairs of 3. New people: brand_new_guest.")
    expect(section.get_by_role("link", name="brand_new_guest")).to_be_visible()
    rex, guest = Person.objects.get(username="leather_rex"), Person.objects.get(username="brand_new_guest")
    assert are_collaborators(rex, guest)


def test_edit_profile_and_relationships_add_save_in_place(page):
    ProfileFactory(person__username="leather_rex", location="Berlin")
    page.goto("/profile/leather_rex/")
    mark_page(page)
    page.get_by_role("button", name="Edit profile").click()
    dialog = page.locator("#edit-profile")
    dialog.get_by_label("Display name").fill("Rex the Leather")
    dialog.get_by_label("Why (optional)").fill("new bio on his page")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#profile-header")).to_contain_text("Rex the Leather")
    expect(page.locator("#toasts")).to_contain_text("Profile saved.")
    assert_not_reloaded(page)
    assert Event.objects.get(kind="profile.edited").why == "new bio on his page"

    page.goto("/relationships/")
    mark_page(page)
    page.get_by_label("Add to my relationships").fill("leather_rex")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#relationships-results")).to_contain_text("leather_rex")
    assert_not_reloaded(page)


def test_edit_profile_sends_only_what_was_changed_and_shows_an_undone_edit(page):
    ProfileFactory(person__username="leather_rex", location="Berlin", gender="male")
    page.goto("/profile/leather_rex/")
    dialog = page.locator("#edit-profile")
    page.get_by_role("button", name="Edit profile").click()
    dialog.get_by_label("Location").fill("Typo-ville")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("#toasts")).to_contain_text("Profile saved.")

    # Undone from the history: the form shows the location as it is again ...
    activity = open_section(page, "activity")
    page.once("dialog", lambda confirm: confirm.accept())
    activity.get_by_role("button", name="Undo").first.click()
    expect(page.locator("#toasts")).to_contain_text("Change undone.")
    expect(dialog.get_by_label("Location")).to_have_value("Berlin")

    # ... and a change made meanwhile elsewhere (another tab, the API) is not written back over
    # by an edit of another field from a form rendered before it.
    Profile.objects.filter(person__username="leather_rex").update(bio="Written in another tab")
    page.get_by_role("button", name="Edit profile").click()
    dialog.get_by_label("Gender").fill("man")
    # The first save's toast may still show: wait for this save's answer.
    with page.expect_response(lambda response: response.request.method == "PATCH"):
        dialog.get_by_role("button", name="Save").click()
    profile = Profile.objects.get(person__username="leather_rex")
    assert (profile.location, profile.gender, profile.bio) == ("Berlin", "man", "Written in another tab")
    assert Event.objects.filter(kind="profile.edited").latest("at").summary == "leather_rex: gender edited"


def test_a_tooltip_closes_on_escape_and_a_missing_image_file_shows_a_tile(page):
    rex = ProfileFactory(person__username="leather_rex").person
    MediaRecord.objects.create(
        person=rex,
        source="upload",
        file_path="people/leather_rex/upload/gone.jpg",
        sha256="0" * 64,
        size_bytes=10,
        mime_type="image/jpeg",
        width=10,
        height=10,
    )
    page.goto("/profile/leather_rex/")
    attributes = open_section(page, "attributes")
    item = attributes.locator('li[data-attribute="watch_list"]')
    item.hover()
    expect(item.locator(".attr-tip")).to_be_visible()
    page.keyboard.press("Escape")
    expect(item.locator(".attr-tip")).to_be_hidden()

    images = open_section(page, "images")
    expect(images.locator(".file-missing")).to_have_text("File missing")
