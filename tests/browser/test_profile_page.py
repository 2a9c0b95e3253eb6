import re

from playwright.sync_api import expect

from profiles.models import SectionPreference


def test_a_collapsed_section_stays_collapsed_after_reload(page, person, owner_user):
    page.goto(f"/profile/{person.username}/")
    section = page.locator('details[data-section="quick-stats"]')
    expect(section).to_have_attribute("open", "")
    with page.expect_response(re.compile(r"/api/ui/sections/quick-stats$")) as saved:
        section.locator("summary").click()
    assert saved.value.status == 204
    page.reload()
    expect(section).not_to_have_attribute("open", re.compile(".*"))
    assert SectionPreference.objects.get(user=owner_user, section_key="quick-stats").is_open is False
    # Opening it again loads its body from the server and remembers that too.
    with page.expect_response(re.compile(r"/api/ui/sections/quick-stats$")) as saved:
        section.locator("summary").click()
    assert saved.value.status == 204
    expect(section.get_by_text("Followers")).to_be_visible()
    page.reload()
    expect(section).to_have_attribute("open", "")


def test_logging_in_through_the_login_page(anonymous_page, owner_user):
    anonymous_page.goto("/people/")
    expect(anonymous_page).to_have_url(re.compile(r"/login/\?next=/people/"))
    anonymous_page.get_by_label("Username").fill("owner")
    anonymous_page.get_by_label("Password").fill("correct-horse-battery")
    anonymous_page.get_by_role("button", name="Log in").click()
    expect(anonymous_page.get_by_role("heading", name="People")).to_be_visible()


def test_editing_a_profile_in_the_modal(page, person):
    page.goto(f"/profile/{person.username}/")
    page.get_by_role("button", name="Edit profile").click()
    page.get_by_label("Location").fill("Lisbon, Portugal")
    page.get_by_label("Age", exact=True).fill("12")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_label("Age", exact=True).evaluate("input => input.validity.rangeUnderflow")
    expect(page.locator("#edit-profile")).to_be_visible()  # not submitted
    page.get_by_label("Age", exact=True).fill("41")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#section-quick-stats")).to_contain_text("Lisbon, Portugal")
    expect(page.locator("#section-quick-stats")).to_contain_text("41")


def test_a_section_rendered_open_is_not_saved_as_the_users_choice(page, person, owner_user):
    saves = []
    page.on("request", lambda request: "/api/ui/sections/" in request.url and saves.append(request.url))
    page.goto(f"/profile/{person.username}/")
    section = page.locator('details[data-section="quick-stats"]')
    expect(section).to_have_attribute("open", "")
    # The parser fires "toggle" for a <details> rendered open; whether app.js is listening by then
    # depends on timing (a slow machine, cached scripts). Fire it for sure.
    section.evaluate("details => details.dispatchEvent(new Event('toggle'))")
    page.wait_for_load_state("networkidle")
    assert saves == []
    assert not SectionPreference.objects.filter(user=owner_user).exists()
    # A real change is still saved.
    with page.expect_response(re.compile(r"/api/ui/sections/quick-stats$")):
        section.locator("summary").click()
    expect(section).not_to_have_attribute("open", re.compile(".*"))
    assert SectionPreference.objects.get(user=owner_user, section_key="quick-stats").is_open is False
