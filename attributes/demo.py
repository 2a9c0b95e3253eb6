"""Demo attributes: two custom ones, and a few weeks of changes on several demo people (made
through the services, so each has its history). `profile_smoke` derives itself from the demo
profiles' smoke / drink. Alex and Jay & Lee are followed, so live screenshots capture their shows."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from attributes.models import AttributeDefinition
from attributes.selectors import history_of
from attributes.services import attribute_set, attribute_set_for_people, definition_create
from events.models import Event
from events.undo import event_undo

CUSTOM = [
    {
        "key": "regular_tipper",
        "label": "Regular tipper",
        "color": "teal",
        "show_as_badge": True,
        "icon": "$",
    },
    {"key": "good_cam", "label": "Good cam quality", "color": "blue", "description": "HD, good light."},
]

# username → [(attribute key, value, days ago), ...] in the order they happened
CHANGES = {
    "alex_lord_": [
        ("following", True, 50),
        ("watch_list", True, 40),
        ("leather_fetish", True, 35),
        ("had_interaction", True, 20),
    ],
    "david_stain": [("watch_list", True, 60), ("watch_list", False, 12), ("banned_me", True, 10)],
    "liiamspears": [("watch_list", True, 25), ("good_cam", True, 25), ("had_interaction", True, 3)],
    "bricktiger": [("good_cam", True, 50), ("had_interaction", True, 14), ("smoke_on_cam", True, 6)],
    "hot_guy_2000": [("room_banned", True, 9)],
    "jay_and_lee": [("following", True, 45)],
    "leather_rex": [
        ("leather_fetish", True, 45),
        ("watch_list", True, 30),
        ("watch_list", False, 15),
        ("smoke_on_cam", True, 8),
        ("watch_list", True, 2),
        ("good_cam", True, 2),
    ],
    "sub_sam": [("regular_tipper", True, 33), ("had_interaction", True, 21)],
    "kinky_kai": [("regular_tipper", True, 28), ("banned_by_me", True, 4), ("regular_tipper", False, 4)],
}
# A bulk edit from the directory (one history row and event each), and a change undone.
BULK = (["jay_and_lee", "sub_sam", "hot_guy_2000"], "good_cam", "demo: all three streamed in HD this week")
UNDONE = ("mattiufr", "banned_me", "demo: clicked the wrong box", "demo: it was someone else")


def load(demo) -> None:
    for fields in CUSTOM:
        if not AttributeDefinition.objects.filter(key=fields["key"]).exists():
            definition_create(**fields)
            demo.say(f"attribute {fields['label']}")
    owner = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    now = timezone.now()
    for username, changes in CHANGES.items():
        person = demo.people[username]
        if history_of(person).filter(attribute_key__in={key for key, _, _ in changes}).exists():
            continue  # set before (or since changed by the owner): leave it
        for key, value, days_ago in changes:
            attribute_set(
                person=person, key=key, value=value, changed_by=owner, at=now - timedelta(days=days_ago)
            )
        demo.say(f"attributes of {username}")
    _bulk_edit_and_undo(demo)


def _bulk_edit_and_undo(demo) -> None:
    usernames, key, why = BULK
    if not Event.objects.filter(kind="attribute.set", why=why).exists():
        people = [demo.people[username] for username in usernames]
        changed = attribute_set_for_people(people=people, key=key, value=True, why=why)
        demo.say(f"bulk edit: {key} on {', '.join(usernames)} ({changed} changed)")
    username, key, why, undo_why = UNDONE
    if not Event.objects.filter(why=why).exists():
        attribute_set(person=demo.people[username], key=key, value=True, why=why)
        event_undo(event=Event.objects.get(why=why), why=undo_why)
        demo.say(f"an undone change: {key} on {username}")
