"""Demo people: the owner and a dozen broadcasters and viewers with profiles; a renamed person,
a pair of alternate accounts and a merge that can be undone."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from profiles.models import AlternateAccount, Person, PersonMerge
from profiles.services import (
    alternate_link,
    person_get_or_create,
    person_merge,
    person_rename,
    person_update,
    profile_update,
)


def _model(username, name, location, age, smoke_drink, followers, rank, tags, gender="Man", role="model"):
    return {
        "username": username,
        "role": role,
        "display_name": name,
        "location": location,
        "age": age,
        "gender": gender,
        "smoke_drink": smoke_drink,
        "followers": followers,
        "rank": rank,
        "tags": tags,
    }


def _viewer(username, name="", location="", age=None, smoke_drink="", gender=""):
    return {
        "username": username,
        "role": "viewer",
        "display_name": name,
        "location": location,
        "age": age,
        "gender": gender,
        "smoke_drink": smoke_drink,
    }


DEMO_PEOPLE = [
    _model("alex_lord_", "Alex Lord", "Berlin, Germany", 31, "Yes/No", 48_210, 812, ["leather", "muscle"]),
    _model("david_stain", "David", "Madrid, Spain", 27, "No/Yes", 12_904, 3_410, ["tattoos"]),
    _model("liiamspears", "Liam Spears", "London, UK", 24, "No/No", 96_550, 214, ["twink", "smile"]),
    _model("bricktiger", "Brick", "Chicago, USA", 35, "Sometimes / Yes", 7_340, 9_877, ["bear"], role="both"),
    _model("mattiufr", "Mattiu", "Lyon, France", 29, "Yeah/Sometimes", 22_118, 1_902, ["couple"]),
    _model("hot_guy_2000", "Hot Guy", "Miami, USA", 26, "No/Sometimes", 3_120, 21_550, ["gym"]),
    _model("leather_rex", "Rex", "Amsterdam, NL", 38, "Yes/Yes", 15_402, 4_011, ["leather", "boots"]),
    _viewer("sub_sam", "Sam", "Toronto, Canada", 30, gender="Man"),
    _viewer("kinky_kai", "Kai", "Sydney, Australia", 33, "No/Yes", gender="Trans"),
    _viewer("quiet_tom"),
    _model("marco_roma", "Marco", "Rome, Italy", 28, "Sometimes/No", 31_775, 1_203, ["latin"]),
    _model(
        "jay_and_lee", "Jay & Lee", "Seattle, USA", 32, "No/No", 18_090, 2_640, ["couple"], gender="Couple"
    ),
]


def load(demo) -> None:
    now = timezone.now()
    owner, created = person_get_or_create(username=settings.MHC_OWNER_USERNAME, role=Person.Role.VIEWER)
    if created:
        profile_update(person=owner, display_name="Me", bio="The owner of this control panel.")
    demo.people[owner.username] = owner
    for index, entry in enumerate(DEMO_PEOPLE):
        fields = dict(entry)
        username, role = fields.pop("username"), fields.pop("role")
        person, created = person_get_or_create(
            username=username, role=role, seen_at=now - timedelta(days=90 + index * 7)
        )
        demo.people[username] = person
        if not created:
            continue
        person_update(person=person, seen_at=now - timedelta(hours=2 + index * 9))
        if role != "viewer":
            fields["bio"] = f"Hi, I'm {fields['display_name']}. Tips make me smile."
            fields["last_broadcast_at"] = now - timedelta(days=index, hours=3)
        if index % 3 == 0:
            fields["social_links"] = [{"label": "Twitter", "url": f"https://twitter.com/{username}"}]
        profile_update(person=person, **fields)
        demo.say(f"person {username}")
    _identity(demo)


def _identity(demo) -> None:
    """People the other apps' demo data leaves alone, so that the merge stays undoable."""
    if not Person.objects.filter(username="marcus_vega").exists():
        marcus, _ = person_get_or_create(username="marcus_v", role=Person.Role.MODEL)
        profile_update(person=marcus, display_name="Marcus", location="Porto, Portugal")
        person_rename(person=marcus, new_username="marcus_vega", why="renamed on the platform")
        demo.say("person marcus_vega, formerly marcus_v")
    rex = demo.people.get("leather_rex")
    night, created = person_get_or_create(username="rex_after_dark", role=Person.Role.MODEL)
    if created:
        profile_update(person=night, display_name="Rex (late shows)", location="Amsterdam, NL")
    if (
        rex
        and not AlternateAccount.objects.filter(person_a__in=[rex, night], person_b__in=[rex, night]).exists()
    ):
        alternate_link(person=rex, other=night, notes="Same face, late-night room")
        demo.say("alternate accounts leather_rex and rex_after_dark")
    if not PersonMerge.objects.filter(merged_username="jon_doe_two").exists():
        jon, _ = person_get_or_create(username="jon_doe", role=Person.Role.VIEWER)
        profile_update(person=jon, display_name="Jon", location="Leeds, UK")
        second, _ = person_get_or_create(username="jon_doe_two", role=Person.Role.VIEWER)
        profile_update(person=second, display_name="Jonny", bio="Second account, same Jon.", age=41)
        person_merge(keep=jon, merge=second, why="one viewer, two accounts")
        demo.say("jon_doe_two merged into jon_doe (undo it from Names and accounts)")
