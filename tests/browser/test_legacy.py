from playwright.sync_api import expect

from legacy.services import legacy_details_put, legacy_record_keep


def test_opening_from_the_original_shows_the_old_values_and_the_rows_kept_aside(page, person):
    legacy_details_put(
        source_table="profiles",
        source_key="7",
        person=person,
        data={"rating": 4, "irl_name": "Jonas", "following": True},
    )
    legacy_record_keep(
        source_table="profile_usernames", source_key="u1", row={"username": "old"}, reason="x", person=person
    )
    page.goto(f"/profile/{person.username}/")
    section = page.locator('details[data-section="from-the-original"]')
    section.locator("summary").click()
    expect(section).to_contain_text("IRL name")
    expect(section).to_contain_text("Jonas")
    expect(section).to_contain_text("profile_usernames: 1")
    section.get_by_role("link", name="browse").click()
    expect(page.get_by_text("profile_usernames").first).to_be_visible()
