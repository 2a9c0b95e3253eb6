"""Demo notes: every category on several demo people; on alex_lord_, a pasted room chat with every
kind of line that is dropped (and a tip menu posted in it), a bookmarklet export, and two tip menus
two weeks apart, so the Tip Menu link shows what changed."""
# ruff: noqa: E501 (the bookmarklet export keeps its lines as the bookmarklet writes them)

from datetime import timedelta

from django.utils import timezone

from notes.models import Note
from notes.services import note_create

ALEX_CHAT = """\
Notice: Welcome to alex_lord_'s room! Tip menu is up, type /menu to see it.
Broadcaster alex_lord_ is running these apps: Tip Menu, Rotating Notifier, Lovense
Broadcaster Rules: be nice, no begging for free shows
*** Warning *** Never share your password or personal information
To send a tip, press CTRL+S or type /tip 25
alex_lord_ has changed the room subject to: Sunday boots night 👢 goal: harness off #leather #daddy
User leather_rex has joined the room.
kinky_kai has joined the room.
leather_rex |100|: evening alex, nice boots
alex_lord_: rex!! welcome back 😈
kinky_kai|25|omg that harness
Notice: Tip Menu
Notice: ⭐ Boots worship (99)
Notice: ⭐ Spank (35)
Notice: ⭐ Oil show (250)
User david_stain has joined the room.
david_staincan't wait for Madrid 🇪🇸
leather_rex tipped 99 tokens -- boots worship please
Lush is now vibrating at medium for 10 seconds
alex_lord_on it, rex
tipmenubot: Tip 250 for the oil show!
quiet_tom has joined the room.
quiet_tom has left the room.
kinky_kai tipped 35 tks
kinky_kai is now a Fan Club member
sub_sam: hi sir, am I late? has left the room already? lol
alex_lord_: just in time sam
sub_sam tipped 250 tokens: OIL SHOW 🛢️
*** GOAL REACHED: harness off ***
sub_sam is the new King of the Room!
alex_lord_: you guys are the best ❤️
david_stain: legend
kinky_kai: same time next sunday?
alex_lord_: always 😘
leather_rex |100|: night all
User leather_rex has left the room.
sub_sam tipped 20 tokens -- thank you sir
"""

# The same room, exported by the owner's bookmarklet a week earlier.
ALEX_EXPORT = """\
ChatType: [PUBLIC] | Timestamp: [21:42:31] | Username: [alex_lord_] | Message: [hey boys, boots on tonight 👢] | isBroadcaster: [true]
ChatType: [PUBLIC] | Timestamp: [21:42:40] | Username: [sub_sam] | Message: [hi sir!] | isBroadcaster: [false]
ChatType: [TIPS] | Timestamp: [21:43:02] | Username: [sub_sam] | Message: [tipped 50 tokens -- say my name] | isBroadcaster: [false]
ChatType: [PUBLIC] | Timestamp: [21:43:09] | Username: [alex_lord_] | Message: [thank you sam 😈] | isBroadcaster: [true]
Timestamp: [21:44:30] | Username: [] | Message: [Notice: alex_lord_ reached 1,000 followers] | isBroadcaster: [false]
ChatType: [PUBLIC] | Timestamp: [21:45:12] | Username: [bricktiger] | Message: [congrats on 1k!] | isBroadcaster: [false]
ChatType: [TIPS] | Timestamp: [21:45:20] | Username: [bricktiger] | Message: [bricktiger tipped 100 tokens] | isBroadcaster: [false]
ChatType: [PM] | Timestamp: [21:46:02] | Username: [kinky_kai] | Message: [see you sunday?] | isBroadcaster: [false]
"""

# Two tip menus of alex_lord_, two weeks apart: the Tip Menu window shows what changed.
ALEX_MENU_BEFORE = """\
👢 TIP MENU 👢
Say my name - 11 tokens
Spank (35)
Boots worship: 80
Oil show = 200
Flex & pose | 100
Feet close-up [40]
Private show - 1,000 tokens
"""

ALEX_MENU = """\
👢👢 SUNDAY BOOTS NIGHT · TIP MENU 👢👢

Say my name - 11 tokens
Spank (35)
Boots worship: 99
❤️ Kiss the screen ❤️ ➜ 15 tks
120 - Flex & pose
Harness off ..... 300 tk
Oil show = 250
low 1+ / medium 15+ / high 50+
Cam2cam 60 tk/min
Private show - 1,000 tokens
~~~ thank you for the love ~~~
"""

MATTIU_MENU = "Menu du jour • Flash 40 | Dance 60 | Feet 30 | Oil 200"

NOTES = {
    "alex_lord_": [
        (
            Note.Category.NOTE,
            40,
            "Always online Sunday evenings (Berlin time). Loves leather talk; hates being called 'daddy'.",
            "",
        ),
        (
            Note.Category.PM,
            12,
            "alex_lord_: thx for the boots tip man\n"
            "me: anytime, the harness looked great\n"
            "alex_lord_: next sunday I do the oil show 😉",
            "",
        ),
        (
            Note.Category.DM,
            5,
            "Twitter DM: he's travelling to Madrid next month, might do a show with david_stain.",
            "https://twitter.com/alex_lord_",
        ),
        (Note.Category.PUBLIC_CHAT, 10, ALEX_EXPORT, ""),
        (Note.Category.TIP_MENU, 17, ALEX_MENU_BEFORE, ""),
        (Note.Category.PUBLIC_CHAT, 3, ALEX_CHAT, "https://chaturbate.com/alex_lord_/"),
        (Note.Category.TIP_MENU, 3, ALEX_MENU, ""),
    ],
    "david_stain": [
        (
            Note.Category.NOTE,
            20,
            "New tattoo on the left arm (a wolf). Shy at first, chatty after 10 pm.",
            "",
        ),
        (Note.Category.DM, 2, "Asked for the link to my wishlist. Sent it.", ""),
    ],
    "mattiufr": [(Note.Category.TIP_MENU, 9, MATTIU_MENU, "")],
    "sub_sam": [(Note.Category.PM, 7, "sub_sam: sir, can I sit with you in alex's room?\nme: sure", "")],
    "liiamspears": [(Note.Category.NOTE, 1, "Mentioned a collab with hot_guy_2000 on Friday.", "")],
}


def load(demo) -> None:
    now = timezone.now()
    for username, notes in NOTES.items():
        person = demo.people[username]
        # Someone with notes was loaded before, and the owner may have edited or deleted some since:
        # `load_demo` may be run again at any time, and must not bring the demo's back.
        if Note.objects.filter(profile__person=person).exists():
            continue
        for category, days_ago, content, source_url in notes:
            note_create(
                person=person,
                category=category,
                content=content,
                source_url=source_url,
                created_at=now - timedelta(days=days_ago, hours=2),
            )
            demo.say(f"note ({Note.Category(category).label}) on {username}")
