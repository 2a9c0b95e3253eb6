import pytest

from mhc.demo import load_demo
from notes.models import Note
from notes.parsers import parse_chat_log
from notes.selectors import latest_tip_menu, tip_menu_with_changes, usernames_known
from notes.services import note_update
from profiles.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_category_a_chat_log_and_a_tip_menu_and_loads_once():
    load_demo()
    assert set(Note.objects.values_list("category", flat=True)) == set(Note.Category.values)
    alex = Person.objects.get(username="alex_lord_")
    menu = latest_tip_menu(alex.profile)
    assert menu is not None
    assert "Boots worship" in menu.formatted_content
    chat, export = alex.profile.notes.filter(category="public_chat").order_by("-created_at")
    assert "chat-tip" in chat.formatted_content
    assert "chat-broadcaster" in chat.formatted_content
    assert "has joined" not in chat.formatted_content
    assert "Notice" not in chat.formatted_content
    assert 'href="/profile/david_stain/">david_stain</a>' in chat.formatted_content  # a known person
    log = parse_chat_log(chat.content, broadcaster="alex_lord_", known_people=usernames_known)
    assert {"apps", "rules", "warning", "hint", "subject", "presence", "toy", "fan_club", "king"} <= set(
        log.dropped_by_kind
    )
    assert len(log.menu.items) == 3
    assert '<span class="chat-time">21:42:31</span>' in export.formatted_content
    changes = tip_menu_with_changes(alex.profile).changes
    assert [item.item for item in changes.removed] == ["Feet close-up"]
    assert [(c.item, c.old, c.new) for c in changes.changed] == [
        ("Boots worship", 80, 99),
        ("Flex & pose", 100, 120),
        ("Oil show", 200, 250),
    ]
    assert [item.item for item in changes.added] == ["Kiss the screen", "Harness off", "Cam2cam (per minute)"]
    assert Note.objects.values("profile").distinct().count() >= 4
    count = Note.objects.count()
    again = load_demo()
    assert Note.objects.count() == count
    assert not any(line.startswith("note") for line in again.log)


def test_loading_the_demo_again_does_not_bring_back_a_demo_note_the_owner_edited():
    load_demo()
    note = Note.objects.get(profile__person__username="david_stain", category="dm")
    note_update(note=note, content="Sent him the wishlist link again.")
    count = Note.objects.count()
    load_demo()  # run again, as the owner may
    assert Note.objects.count() == count
    assert not Note.objects.filter(content="Asked for the link to my wishlist. Sent it.").exists()
