"""Demo notes: every category on several demo people, a pasted public chat log and a tip menu,
so the Tip Menu link shows on alex_lord_'s profile."""

from datetime import timedelta

from django.utils import timezone

from notes.models import Note
from notes.services import note_create

ALEX_CHAT = """\
Notice: Welcome to alex_lord_'s room! Tip menu is up, type /menu to see it.
Room subject changed to: Leather & oil show at goal 💦 #leather #muscle #daddy [1200 tokens left]
carlos_88 has joined the room.
sub_sam has joined the room.
alex_lord_: hey guys, welcome in 😈
sub_sam |100|: hi sir
carlos_88hola guapo!! 🔥
[Tip Menu] Flash 50 | Boots worship 99 | Oil show 250
kinky_kai |25|: that harness tho
sub_sam tipped 50 tokens
alex_lord_: thanks sam, good boy
bricktiger has joined the room.
Notice: bricktiger is a new follower
bricktiger: ready for the oil?
kinky_kai tipped 99 tokens -- boots please 👢
alex_lord_boots for kai, coming up
tipmenubot: Tip 250 for the oil show!
carlos_88: que guapo
quiet_tom has joined the room.
quiet_tom has left the room.
sub_sam tipped 250 tokens: OIL!!
alex_lord_: OIL SHOW unlocked 🛢️ thank you sam
kinky_kai: 😍😍😍
bricktiger |50|: legend
Notice: Goal reached! Thank you all
carlos_88 has left the room.
"""

ALEX_MENU = """\
💋💋 ALEX'S TIP MENU 💋💋
Flash - 50 tokens
Boots worship: 99
Spank (35)
❤️ Kiss the screen ❤️ ➜ 15 tks
100 - Flex & pose
Oil show ....... 250 tk
PVT 60 tk/min
1-14 tokens - low vibration
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
        for category, days_ago, content, source_url in notes:
            if Note.objects.filter(profile__person=person, category=category, content=content).exists():
                continue
            note_create(
                person=person,
                category=category,
                content=content,
                source_url=source_url,
                created_at=now - timedelta(days=days_ago, hours=2),
            )
            demo.say(f"note ({Note.Category(category).label}) on {username}")
