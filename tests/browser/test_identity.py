"""Renames and merges in the browser: the redirect after a rename, and a merge previewed,
confirmed and undone."""

import re

from playwright.sync_api import expect

from profiles.models import Person, PersonMerge
from tests.factories import ProfileFactory
from tests.profiles.merge_helpers import rich_pair


def test_renaming_goes_to_the_new_page_and_the_old_address_redirects_there(page):
    alex = ProfileFactory(person__username="alex_lord_", display_name="Alex Lord").person
    page.goto("/profile/alex_lord_/")
    page.get_by_role("button", name="Rename").click()
    dialog = page.locator("#rename-person")
    expect(dialog).to_be_visible()
    dialog.get_by_label("New name").fill("Alex_Renamed")
    with page.expect_navigation(url=re.compile(r"/profile/alex_renamed/$")):
        dialog.get_by_role("button", name="Rename").click()
    expect(page.locator("h1")).to_contain_text("alex_renamed")
    expect(page.locator("#former-names")).to_contain_text("alex_lord_")
    assert Person.objects.get(pk=alex.pk).username == "alex_renamed"

    page.goto("/profile/alex_lord_/")
    expect(page).to_have_url(re.compile(r"/profile/alex_renamed/$"))
    expect(page.locator("h1")).to_contain_text("alex_renamed")


def test_a_rename_to_a_taken_name_is_refused_in_the_dialog(page):
    ProfileFactory(person__username="alex_lord_")
    ProfileFactory(person__username="david")
    page.goto("/profile/alex_lord_/")
    page.get_by_role("button", name="Rename").click()
    dialog = page.locator("#rename-person")
    dialog.get_by_label("New name").fill("david")
    dialog.get_by_role("button", name="Rename").click()
    expect(dialog.locator(".form-error")).to_contain_text("Somebody else is called david")
    expect(page).to_have_url(re.compile(r"/profile/alex_lord_/$"))


def test_merge_preview_confirm_then_undo_from_the_history_entry(page):
    _, merge = rich_pair(size=1)
    page.goto("/profile/alex/")
    page.get_by_role("button", name="Merge…").click()
    dialog = page.locator("#merge-person")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Merge this person into alex").fill("alex_two")
    with page.expect_response(re.compile(r"/api/people/merge$")):
        dialog.get_by_role("button", name="Preview").click()
    preview = dialog.locator("#merge-preview")
    expect(preview).to_contain_text("alex_two will be merged into alex")
    expect(preview.locator("#merge-conflicts")).to_contain_text("primary image")
    assert Person.objects.filter(pk=merge.pk).exists()  # a preview changes nothing

    with page.expect_navigation(url=re.compile(r"/profile/alex/$")):
        dialog.get_by_role("button", name="Merge", exact=True).click()
    assert not Person.objects.filter(pk=merge.pk).exists()
    expect(page.locator("#former-names")).to_contain_text("alex_two")

    section = page.locator("#section-identity")
    if section.get_attribute("open") is None:
        with page.expect_response(re.compile(r"/api/ui/sections/identity$")):
            section.locator("summary").click()
    entry = section.locator("#merges-list li").first
    expect(entry).to_contain_text("alex_two")
    page.once("dialog", lambda confirm: confirm.accept())
    with page.expect_response(re.compile(r"/api/merges/\d+/undo$")):
        entry.get_by_role("button", name="Undo").click()
    expect(page.locator("#section-identity #merges-list")).to_contain_text("undone")
    assert Person.objects.filter(pk=merge.pk).exists()
    assert PersonMerge.objects.get().is_undone
    page.goto("/profile/alex_two/")
    expect(page.locator("h1")).to_contain_text("alex_two")
