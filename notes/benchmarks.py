"""Benchmarks of the paste parsers: a large public chat log and a large tip menu.

The floor is the least any line-by-line parser must do with the same bytes: split them into
lines and run one regular expression over each line.
"""

import random
import re

from django.test import Client

from mhc.bench import Bench, benchmark
from notes.formatting import format_note
from notes.models import Note
from notes.parsers import parse_chat_log, parse_tip_menu
from notes.services import note_create
from profiles.benchmarks import _client
from profiles.services import person_get_or_create, profile_update

_ONE_REGEX = re.compile(r"^(?P<name>[A-Za-z0-9_]{1,64})\s*:(?:\s+(?P<text>.*)|$)")
_WORDS = [
    *[
        "hi",
        "hey",
        "hello",
        "sexy",
        "hot",
        "wow",
        "lol",
        "omg",
        "nice",
        "body",
        "tip",
        "goal",
        "oil",
        "show",
        "boots",
        "leather",
        "please",
        "thanks",
    ],
    *[
        "love",
        "you",
        "are",
        "so",
        "amazing",
        "tonight",
        "what",
        "time",
        "next",
        "show",
        "from",
        "berlin",
        "madrid",
        "where",
    ],
    *["😍", "🔥", "💦", "😈", "👢", "❤️"],
]


def _message(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 12)))


def chat_log(size: int, *, seed: int = 4) -> str:
    """About `size` bytes of public chat as it is copied from a room, with every kind of line."""
    rng = random.Random(seed)
    users = [f"{rng.choice(['sub', 'hot', 'leather', 'guy', 'bear'])}_{n:03d}" for n in range(300)]
    lines, length = [], 0
    while length < size:
        user, roll = rng.choice(users), rng.random()
        if roll < 0.55:
            line = f"{user}: {_message(rng)}"
        elif roll < 0.65:
            line = f"{user} |{rng.choice([1, 10, 25, 50, 100])}|: {_message(rng)}"
        elif roll < 0.72:
            line = f"{user}{_message(rng)}"  # the colon lost in the copy
        elif roll < 0.76:
            line = f"broadcaster_1: {_message(rng)}"
        elif roll < 0.84:
            tokens = rng.choice([1, 5, 25, 50, 99, 250, 1000])
            line = f"{user} tipped {tokens} tokens" + (f" -- {_message(rng)}" if rng.random() < 0.5 else "")
        elif roll < 0.93:
            line = f"{user} has {rng.choice(['joined', 'left'])} the room."
        elif roll < 0.97:
            line = f"Notice: {_message(rng)}"
        else:
            line = f"[Tip Menu] Flash 50 | Oil show 250 | {_message(rng)}"
        lines.append(line)
        length += len(line.encode()) + 1
    return "\n".join(lines)


def tip_menu(size: int, *, seed: int = 4) -> str:
    """About `size` bytes of tip menu in every accepted shape, with headings and decorations."""
    rng = random.Random(seed)
    shapes = [
        "{item} - {n} tokens",
        "{n} - {item}",
        "{item}: {n}",
        "{item} ({n})",
        "❤️ {item} ❤️ ➜ {n} tks",
        "{item} ....... {n} tk",
        "💋 TIP MENU 💋",
        "",
    ]
    lines, length = [], 0
    while length < size:
        item = " ".join(rng.choice(_WORDS[:30]) for _ in range(rng.randint(1, 4))).capitalize()
        line = rng.choice(shapes).format(item=item, n=rng.randint(1, 2000))
        lines.append(line)
        length += len(line.encode()) + 1
    return "\n".join(lines)


def _one_regex_pass(text: str) -> None:
    for line in text.splitlines():
        _ONE_REGEX.match(line)


def _preview(client: Client, content: str) -> None:
    response = client.post(
        "/api/notes/preview",
        {"category": "public_chat", "content": content, "broadcaster": "broadcaster_1"},
        content_type="application/json",
    )
    if response.status_code != 200:
        raise RuntimeError(f"The preview answered {response.status_code}: the figures would mean nothing.")


@benchmark(
    "notes-parsers",
    help="Parse a pasted chat log (--size bytes) and a tip menu; floor: splitlines plus one regex pass.",
    default_size=1_000_000,
)
def parsers(bench: Bench) -> None:
    chat = chat_log(bench.size)
    chat_bytes = len(chat.encode())
    menu = tip_menu(max(bench.size // 4, 1000))
    menu_bytes = len(menu.encode())

    floor = bench.measure(
        "chat: splitlines + one regex", lambda: _one_regex_pass(chat), bytes=chat_bytes, record=False
    )
    log = parse_chat_log(chat, broadcaster="broadcaster_1")
    bench.measure(
        "parse_chat_log",
        lambda: parse_chat_log(chat, broadcaster="broadcaster_1"),
        bytes=chat_bytes,
        floor=floor,
    )
    bench.measure(
        "chat log parsed + HTML + nh3",
        lambda: format_note(content=chat, category=Note.Category.PUBLIC_CHAT, broadcaster="broadcaster_1"),
        bytes=chat_bytes,
        floor=floor,
    )
    person, _ = person_get_or_create(username="broadcaster_1")
    profile_update(person=person, display_name="Broadcaster")  # the note's write, not the profile's
    bench.measure(
        "note_create (chat log, stored)",
        lambda: note_create(person=person, content=chat, category=Note.Category.PUBLIC_CHAT),
        bytes=chat_bytes,
    )
    client = _client()
    bench.measure("POST /api/notes/preview (chat log)", lambda: _preview(client, chat), bytes=chat_bytes)

    menu_floor = bench.measure(
        "menu: splitlines + one regex", lambda: _one_regex_pass(menu), bytes=menu_bytes, record=False
    )
    items = len(parse_tip_menu(menu).items)
    bench.measure(
        "parse_tip_menu", lambda: parse_tip_menu(menu), bytes=menu_bytes, items=items, floor=menu_floor
    )

    lines = chat.count("\n") + 1
    bench.note(
        f"Chat log: {chat_bytes:,} bytes, {lines:,} lines → {len(log.messages):,} messages, "
        f"{len(log.tips):,} tips, {log.dropped:,} lines dropped."
    )
    bench.note(f"Tip menu: {menu_bytes:,} bytes → {items:,} items.")
