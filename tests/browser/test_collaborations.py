import re

from playwright.sync_api import expect

from collaborations.selectors import are_collaborators
from collaborations.services import collaboration_add
from tests.factories import ProfileFactory


def open_collaborators(page, username: str):
    """The Collaborators section of the person's page, opened (it stays open once opened)."""
    page.goto(f"/profile/{username}/")
    section = page.locator("#section-collaborators")
    if section.get_attribute("open") is None:
        with page.expect_response(re.compile(r"/api/ui/sections/collaborators$")):
            section.locator("summary").click()
    expect(section.get_by_role("button", name="+ Add")).to_be_visible()
    return section


def test_adding_b_on_a_shows_a_on_b_and_removing_it_on_b_clears_a(page):
    alex = ProfileFactory(person__username="alex_lord_", display_name="Alex Lord").person
    david = ProfileFactory(person__username="david_stain", display_name="David").person

    section = open_collaborators(page, "alex_lord_")
    expect(section).to_contain_text("No collaborators yet")
    section.get_by_role("button", name="+ Add").click()
    dialog = page.locator("#add-collaborator")
    expect(dialog).to_be_visible()
    username = dialog.get_by_label("Username")
    with page.expect_response(re.compile(r"/api/people\?")):
        username.press_sequentially("davi")
    # The suggestions come from /api/people into the input's <datalist>.
    expect(dialog.locator("#collaborator-suggestions option[value='david_stain']")).to_have_count(1)
    username.fill("david_stain")
    dialog.get_by_label("Notes (optional)").fill("seen together 2024-01-15")
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(dialog).to_be_hidden()
    row = section.locator('li[data-username="david_stain"]')
    expect(row).to_contain_text("seen together 2024-01-15")
    expect(section).to_contain_text("1 collaborator")
    expect(page.locator("#toasts")).to_contain_text("Collaborator added.")
    expect(page.locator("#toasts")).not_to_contain_text("never been seen")
    assert are_collaborators(alex, david)

    section = open_collaborators(page, "david_stain")
    link = section.get_by_role("link", name="alex_lord_")
    expect(link).to_have_attribute("href", "/profile/alex_lord_/")
    page.once("dialog", lambda confirm: confirm.accept())
    section.get_by_role("button", name="Remove alex_lord_").click()
    expect(section).to_contain_text("No collaborators yet")
    assert not are_collaborators(alex, david)

    section = open_collaborators(page, "alex_lord_")
    expect(section).to_contain_text("No collaborators yet")
    expect(section.locator('li[data-username="david_stain"]')).to_have_count(0)


def test_declining_the_confirmation_keeps_the_collaborator(page):
    alex = ProfileFactory(person__username="alex_lord_").person
    david = ProfileFactory(person__username="david_stain").person
    collaboration_add(person=alex, other=david)
    section = open_collaborators(page, "alex_lord_")
    messages = []

    def decline(confirm):
        messages.append(confirm.message)
        confirm.dismiss()

    page.once("dialog", decline)
    section.get_by_role("button", name="Remove david_stain").click()
    expect(section.locator('li[data-username="david_stain"]')).to_be_visible()
    assert messages == ["Remove david_stain from alex_lord_'s collaborators?"]
    assert are_collaborators(alex, david)


def test_adding_oneself_shows_the_error_in_the_modal(page):
    ProfileFactory(person__username="alex_lord_")
    section = open_collaborators(page, "alex_lord_")
    section.get_by_role("button", name="+ Add").click()
    dialog = page.locator("#add-collaborator")
    dialog.get_by_label("Username").fill("alex_lord_")
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(dialog.locator(".form-error")).to_have_text("A person cannot be their own collaborator.")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(section).to_contain_text("No collaborators yet")


def test_a_new_collaborator_appears_in_the_open_activity_log(page):
    ProfileFactory(person__username="alex_lord_")
    section = open_collaborators(page, "alex_lord_")
    activity = page.locator("#section-activity")
    with page.expect_response(re.compile(r"/api/ui/sections/activity$")):
        activity.locator("summary").click()
    expect(activity).to_contain_text("Nothing has happened on this profile yet.")
    section.get_by_role("button", name="+ Add").click()
    page.get_by_label("Username", exact=True).fill("brand_new_guy")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#toasts")).to_contain_text("brand_new_guy had never been seen before")
    expect(activity).to_contain_text("Collaboration added: alex_lord_ and brand_new_guy")
    expect(section.get_by_role("link", name="brand_new_guy")).to_be_visible()
    # Again, after the section was re-rendered in place: still one notice per new person.
    section.get_by_role("button", name="+ Add").click()
    page.get_by_label("Username", exact=True).fill("another_new_guy")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(section.get_by_role("link", name="another_new_guy")).to_be_visible()
    expect(page.locator("#toasts .toast", has_text="another_new_guy had never been seen")).to_have_count(1)
