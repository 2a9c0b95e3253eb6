import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from notes.colors import chat_color
from notes.models import Note
from notes.services import note_create
from profiles.models import SectionPreference
from tests.factories import NoteFactory, PersonFactory, ProfileFactory
from tests.notes.pastes import (
    BOOKMARKLET_EXPORT,
    CHAT_WITH_MENU,
    MENU_AFTER,
    MENU_BEFORE,
    ROOM_CHAT,
    TIP_MENU,
    XSS_IMG,
    XSS_LINK,
    XSS_SCRIPT,
)

USER = ".chat-log > li > b, .chat-log > li > a"  # a username: a link when they are a known person


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def alex():
    return ProfileFactory(person=PersonFactory(username="alex_lord_")).person


def open_profile(page, person):
    page.goto(f"/profile/{person.username}/")
    page.evaluate("window.__samePage = true")  # gone if anything reloads the page


def still_the_same_page(page) -> bool:
    return page.evaluate("window.__samePage === true")


def test_pasting_a_chat_log_previews_it_and_saves_it_in_place(page):
    person = alex()
    open_profile(page, person)
    notes = page.locator("#section-notes")
    notes.get_by_role("button", name="+ Add Note").click()
    dialog = page.locator("#note-add")
    dialog.get_by_role("button", name="Paste Chat Log").click()
    expect(dialog.get_by_label("Category")).to_have_value("public_chat")
    dialog.get_by_label("Text").fill(ROOM_CHAT)
    preview = dialog.locator("[data-notes-preview]")
    expect(preview).to_contain_text("13 messages · 5 people · 3 tips (399 tokens) · 14 lines dropped")
    expect(preview.locator(".chat-log > li")).to_have_count(13)
    expect(preview.locator(".chat-tip")).to_have_count(3)
    expect(preview.locator(USER, has_text="kinky_kai").first).to_have_css(
        "color", rgb(chat_color("kinky_kai"))
    )
    assert Note.objects.count() == 0  # a preview saves nothing

    dialog.get_by_role("button", name="Save note").click()
    expect(dialog).to_be_hidden()
    saved = notes.locator(".note").first
    expect(saved.locator(".pill")).to_have_text("Chat")
    expect(notes.locator('[data-tab="public_chat"] .count')).to_have_text("1")
    expect(saved.locator(".chat-broadcaster")).to_have_count(4)
    expect(saved.locator(".chat-tip").first).to_contain_text("sub_sam tipped 50 tokens")
    for username in ("sub_sam", "kinky_kai", "alex_lord_"):
        expect(saved.locator(USER, has_text=username).first).to_have_css("color", rgb(chat_color(username)))
    expect(saved).not_to_contain_text("has joined the room")
    assert still_the_same_page(page)
    note = Note.objects.get()
    assert (note.category, note.content) == ("public_chat", ROOM_CHAT.strip())
    assert "chat-tip" in note.formatted_content


def test_a_pasted_tip_menu_brings_the_tip_menu_link_and_its_modal(page):
    person = alex()
    NoteFactory(profile=person.profile, content="Nice guy.")
    open_profile(page, person)
    header_link = page.locator("#header-links").get_by_role("button", name="Tip Menu")
    expect(header_link).to_have_count(0)

    page.get_by_role("button", name="+ Add Note").click()
    dialog = page.locator("#note-add")
    dialog.get_by_role("button", name="Paste Tip Menu").click()
    dialog.get_by_label("Text").fill(TIP_MENU)
    preview = dialog.locator("[data-notes-preview]")
    expect(preview).to_contain_text("9 items")
    expect(preview.locator("tbody tr")).to_have_count(9)
    expect(preview.locator("tbody tr").nth(8)).to_have_text(re.compile(r"Private show\s*1,000"))
    dialog.get_by_role("button", name="Save note").click()
    expect(dialog).to_be_hidden()

    expect(header_link).to_be_visible()  # without reloading the page
    assert still_the_same_page(page)
    header_link.click()
    modal = page.locator("#tip-menu-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("tbody tr")).to_have_count(9)
    expect(modal.locator("tbody tr").first).to_have_text(re.compile(r"Flash\s*50"))
    modal.get_by_role("button", name="Close").click()
    expect(modal).to_be_hidden()

    # Deleting the only menu takes the link away again.
    page.once("dialog", lambda confirm: confirm.accept())
    page.locator('.note[data-category="tip_menu"]').get_by_role("button", name="Delete").click()
    expect(page.locator('.note[data-category="tip_menu"]')).to_have_count(0)
    expect(header_link).to_have_count(0)


def test_the_latest_tip_menu_opens_from_the_header_on_page_load(page):
    person = alex()
    note_create(person=person, content=TIP_MENU, category="tip_menu")
    a_month_ago = timezone.now() - timedelta(days=30)
    note_create(person=person, content="Old menu - 10", category="tip_menu", created_at=a_month_ago)
    page.goto(f"/profile/{person.username}/")
    page.locator("#header-links").get_by_role("button", name="Tip Menu").click()
    modal = page.locator("#tip-menu-modal")
    expect(modal.locator("tbody tr")).to_have_count(9)
    expect(modal.locator("table")).not_to_contain_text("Old menu")
    expect(modal.locator(".menu-removed")).to_have_text(
        re.compile(r"removed\s+Old menu\s+10")
    )  # what changed


def test_tabs_paging_editing_and_deleting_happen_in_place(page, person):
    for number in range(12):
        NoteFactory(profile=person.profile, content=f"plain note {number:02d}")
    NoteFactory(profile=person.profile, category="pm", content="alice: a private message")
    open_profile(page, person)
    notes = page.locator("#section-notes")

    notes.get_by_role("link", name=re.compile(r"^PM")).click()
    expect(notes.locator(".note")).to_have_count(1)
    expect(notes.locator(".note")).to_contain_text("a private message")
    notes.get_by_role("link", name=re.compile(r"^All")).click()
    expect(notes.locator(".note")).to_have_count(10)
    expect(notes).to_contain_text("Page 1 of 2")
    notes.get_by_role("link", name="Older →").click()
    expect(notes).to_contain_text("Page 2 of 2")
    expect(notes.locator(".note")).to_have_count(3)

    target = notes.locator(".note", has_text="plain note 01")
    target.get_by_role("button", name="Edit").click()
    form = notes.get_by_role("form", name="Edit note")
    form.get_by_label("Text").fill("plain note 01, corrected")
    form.get_by_label("Category").select_option("dm")
    form.get_by_role("button", name="Save").click()
    expect(notes.locator(".note", has_text="plain note 01, corrected").locator(".pill")).to_have_text("DM")
    expect(notes).to_contain_text("Page 2 of 2")  # still on the page the user was on
    expect(notes.locator('[data-tab="dm"] .count')).to_have_text("1")

    page.once("dialog", lambda confirm: confirm.accept())
    notes.locator(".note", has_text="plain note 00").get_by_role("button", name="Delete").click()
    expect(notes.locator(".note", has_text="plain note 00")).to_have_count(0)
    expect(notes.locator('[data-tab="all"] .count')).to_have_text("12")
    assert still_the_same_page(page)
    assert Note.objects.get(content="plain note 01, corrected").category == "dm"


def test_editing_a_chat_log_shows_its_parse_beside_the_text(page, person):
    note_create(person=person, content="alice: hi\nbob tipped 5 tokens", category="public_chat")
    open_profile(page, person)
    page.locator("#section-notes .note").get_by_role("button", name="Edit").click()
    form = page.get_by_role("form", name="Edit note")
    expect(form.locator("[data-notes-preview]")).to_contain_text(
        "2 messages · 2 people · 1 tip (5 tokens) · 0 lines dropped"
    )
    form.get_by_label("Text").fill("alice: hi\nbob tipped 5 tokens\ncarl tipped 10 tokens")
    expect(form.locator("[data-notes-preview] .chat-tip")).to_have_count(2)
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#section-notes .note .chat-tip")).to_have_count(2)


def test_a_bad_link_is_refused_with_a_message_in_the_form(page, person):
    open_profile(page, person)
    page.get_by_role("button", name="+ Add Note").click()
    dialog = page.locator("#note-add")
    dialog.get_by_label("Text").fill("hello")
    dialog.get_by_label("Link to the conversation").fill("javascript:alert(1)")
    dialog.get_by_role("button", name="Save note").click()
    expect(dialog.locator(".form-error")).to_contain_text(
        "Link to the conversation: Enter a valid http or https link."
    )
    assert not Note.objects.exists()


def test_a_long_chat_log_is_collapsed_until_show_all(page, person):
    note_create(person=person, content=ROOM_CHAT, category="public_chat")
    page.goto(f"/profile/{person.username}/")
    log = page.locator("#section-notes .chat-log")
    expect(log.locator("li:visible")).to_have_count(12)
    page.get_by_text("Show all 13 lines").click()
    expect(log.locator("li:visible")).to_have_count(13)
    page.get_by_text("Show fewer").click()
    expect(log.locator("li:visible")).to_have_count(12)


def test_pasted_markup_never_runs_and_is_shown_as_it_was_typed(page):
    person = alex()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_profile(page, person)
    markup = [XSS_SCRIPT, XSS_IMG, XSS_LINK]
    pastes = {
        "Paste Chat Log": "\n".join(f"bob: {m}" for m in markup),
        "Paste Tip Menu": "\n".join(f"{m} - {20 + i}" for i, m in enumerate(markup)),
        None: "\n".join(markup),
    }
    notes = page.locator("#section-notes")
    for saved, (button, text) in enumerate(pastes.items(), start=1):
        page.get_by_role("button", name="+ Add Note").click()
        dialog = page.locator("#note-add")
        if button:
            dialog.get_by_role("button", name=button).click()
        dialog.get_by_label("Text").fill(text)
        if button:
            expect(dialog.locator("[data-notes-preview]")).to_contain_text(XSS_IMG)
        dialog.get_by_role("button", name="Save note").click()
        expect(notes.locator('[data-tab="all"] .count')).to_have_text(str(saved))

    page.reload()
    page.locator("#header-links").get_by_role("button", name="Tip Menu").click()
    expect(page.locator("#tip-menu-modal")).to_contain_text(XSS_SCRIPT)
    page.goto("/people/")
    expect(page.locator("#people-table")).to_contain_text("<script>")
    page.goto(f"/profile/{person.username}/")
    for text in markup:
        expect(notes.get_by_text(text).first).to_be_visible()
    assert notes.locator("img, script:not(#notes-js), a[href^='javascript']").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []


def test_a_notes_section_opened_later_works_like_one_open_from_the_start(page, person, owner_user):
    SectionPreference.objects.create(user=owner_user, section_key="notes", is_open=False)
    NoteFactory(profile=person.profile, content="written before")
    open_profile(page, person)
    notes = page.locator("#section-notes")
    notes.locator("summary").click()
    expect(notes).to_contain_text("written before")
    notes.get_by_role("button", name="+ Add Note").click()
    dialog = page.locator("#note-add")
    dialog.get_by_role("button", name="Paste Tip Menu").click()
    dialog.get_by_label("Text").fill("Flash - 50")
    expect(dialog.locator("[data-notes-preview]")).to_contain_text("1 item")
    dialog.get_by_role("button", name="Save note").click()
    expect(notes.locator('[data-tab="tip_menu"] .count')).to_have_text("1")
    expect(page.locator("#header-links").get_by_role("button", name="Tip Menu")).to_be_visible()
    assert still_the_same_page(page)


def test_a_bookmarklet_export_is_previewed_with_its_dropped_lines_and_saved(page):
    person = ProfileFactory(person=PersonFactory(username="leather_rex")).person
    PersonFactory(username="sub_sam")  # a known person: linked in the log
    open_profile(page, person)
    page.get_by_role("button", name="+ Add Note").click()
    dialog = page.locator("#note-add")
    dialog.get_by_role("button", name="Paste Chat Log").click()
    dialog.get_by_label("Text").fill(BOOKMARKLET_EXPORT)
    preview = dialog.locator("[data-notes-preview]")
    expect(preview).to_contain_text("6 messages · 3 people · 2 tips (75 tokens) · 1 line dropped")
    expect(preview.locator(".chat-time").first).to_have_text("21:42:31")
    expect(preview.locator(".chat-broadcaster")).to_have_count(2)
    expect(preview.locator('a[href="/profile/sub_sam/"]').first).to_have_text("sub_sam")

    dropped = preview.locator("[data-notes-dropped]")
    expect(dropped).to_be_hidden()
    preview.get_by_role("button", name="1 line dropped").click()
    expect(dropped).to_be_visible()
    expect(dropped.locator("li")).to_have_text(re.compile(r"line 6 · notice\s+Notice: Welcome to the room"))
    preview.get_by_role("button", name="1 line dropped").click()
    expect(dropped).to_be_hidden()

    dialog.get_by_role("button", name="Save note").click()
    expect(dialog).to_be_hidden()
    saved = page.locator("#section-notes .note").first
    expect(saved.locator(".chat-log > li")).to_have_count(6)
    expect(saved.locator(".chat-tip")).to_have_count(2)
    assert still_the_same_page(page)
    assert Note.objects.get().content == BOOKMARKLET_EXPORT.strip()


def test_a_chat_holding_a_tip_menu_offers_to_save_the_menu_too(page):
    person = ProfileFactory(person=PersonFactory(username="leather_rex")).person
    open_profile(page, person)
    header_link = page.locator("#header-links").get_by_role("button", name="Tip Menu")
    page.get_by_role("button", name="+ Add Note").click()
    dialog = page.locator("#note-add")
    dialog.get_by_role("button", name="Paste Chat Log").click()
    dialog.get_by_label("Text").fill(CHAT_WITH_MENU)
    offer = dialog.locator("[data-notes-menu-offer]")
    expect(offer).to_contain_text(
        "this chat holds a tip menu of 4 items — also save it as a Tip Menu note", ignore_case=True
    )
    offer.get_by_role("button", name="Save Tip Menu").click()
    expect(offer.get_by_role("button", name="Tip menu saved ✓")).to_be_disabled()
    menu = Note.objects.get(category="tip_menu")
    assert [line.strip() for line in menu.content.splitlines()][:2] == [
        "⭐ Flash (50)",
        "⭐ Boots worship (99)",
    ]

    dialog.get_by_role("button", name="Save note").click()
    expect(dialog).to_be_hidden()
    notes = page.locator("#section-notes")
    expect(notes.locator('[data-tab="tip_menu"] .count')).to_have_text("1")
    expect(notes.locator('[data-tab="public_chat"] .count')).to_have_text("1")
    expect(header_link).to_be_visible()
    header_link.click()
    expect(page.locator("#tip-menu-modal tbody tr")).to_have_count(4)
    assert still_the_same_page(page)


def test_a_tip_menu_saved_from_a_chat_that_is_then_cancelled_still_shows(page):
    person = ProfileFactory(person=PersonFactory(username="leather_rex")).person
    open_profile(page, person)
    page.get_by_role("button", name="+ Add Note").click()
    dialog = page.locator("#note-add")
    dialog.get_by_role("button", name="Paste Chat Log").click()
    dialog.get_by_label("Text").fill(CHAT_WITH_MENU)
    dialog.get_by_role("button", name="Save Tip Menu").click()
    expect(dialog.get_by_role("button", name="Tip menu saved ✓")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.locator('#section-notes [data-tab="tip_menu"] .count')).to_have_text("1")
    assert Note.objects.filter(category="public_chat").count() == 0


def test_the_tip_menu_window_shows_what_changed(page):
    person = alex()
    note_create(
        person=person, content=MENU_BEFORE, category="tip_menu", created_at=timezone.now() - timedelta(days=7)
    )
    note_create(person=person, content=MENU_AFTER, category="tip_menu")
    page.goto(f"/profile/{person.username}/")
    page.locator("#header-links").get_by_role("button", name="Tip Menu").click()
    changes = page.locator("#tip-menu-modal .menu-changes")
    expect(changes.locator(".menu-added")).to_have_text(re.compile(r"added\s+Cam2cam \(per minute\)\s+60"))
    expect(changes.locator(".menu-removed")).to_have_text(re.compile(r"removed\s+Boots worship\s+99"))
    expect(changes.locator(".menu-repriced")).to_have_count(2)
    expect(changes.locator(".menu-repriced").first).to_have_text(re.compile(r"Flash\s+50 → 60"))
