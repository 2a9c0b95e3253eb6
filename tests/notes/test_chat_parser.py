"""The chat parser on pastes as the platform really produces them: one test per rule."""

import colorsys

import pytest

from notes.colors import CHAT_COLORS, chat_color
from notes.parsers import parse_chat_log
from tests.notes.pastes import (
    BOOKMARKLET_EXPORT,
    BOOKMARKLET_MESSAGES,
    CHAT_MENU_ITEMS,
    CHAT_WITH_MENU,
    ROOM,
    ROOM_LINES,
)


def said(log) -> list[tuple]:
    return [(m.username, m.text, m.kind, m.tokens) for m in log.messages]


def kinds(log) -> list[str]:
    return [line.kind for line in log.dropped_lines]


def test_every_non_blank_line_of_a_room_is_a_message_a_tip_or_dropped_with_its_kind():
    log = parse_chat_log(ROOM, broadcaster="leather_rex")
    dropped = {line.number: line.kind for line in log.dropped_lines}
    messages = iter(log.messages)
    for number, (line, kind) in enumerate(ROOM_LINES, 1):
        got = dropped[number] if number in dropped else next(messages).kind
        assert got == kind, line
    assert next(messages, None) is None
    assert len(log.messages) + log.dropped == len(ROOM_LINES)


def test_dropped_lines_keep_their_number_and_text():
    log = parse_chat_log("alice: hi\n\nbob has joined the room.\nNotice: hello")
    assert [(d.number, d.kind, d.text, d.label) for d in log.dropped_lines] == [
        (3, "presence", "bob has joined the room.", "joined or left"),
        (4, "notice", "Notice: hello", "notice"),
    ]
    assert log.dropped_by_kind == {"presence": 1, "notice": 1}


@pytest.mark.parametrize(
    "line",
    [
        "User dan_99 has joined the room.",
        "User dan_99 has left the room.",
        "dan_99 has joined the room",
        "dan_99 has left the room.",
        "dan_99 has entered the room",
        "Broadcaster dan_99 has joined the room",
        "Broadcaster dan_99 has left the room.",
    ],
)
def test_presence_with_or_without_user_or_broadcaster_in_front_is_dropped_and_proves_the_name(line):
    log = parse_chat_log(f"{line}\ndan_99what's up")
    assert kinds(log) == ["presence"]
    assert said(log) == [("dan_99", "what's up", "chat", None)]


def test_broadcaster_in_front_of_a_join_or_an_app_line_names_the_broadcaster():
    log = parse_chat_log("Broadcaster leather_rex has joined the room\nleather_rex: hi")
    assert log.broadcaster == "leather_rex"
    assert log.messages[0].is_broadcaster
    log = parse_chat_log("leather_rex: hi\nBroadcaster leather_rex is running these apps: Tip Menu")
    assert log.broadcaster == "leather_rex"
    assert log.messages[0].is_broadcaster  # marked though the line came before


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Notice: anything at all, even: colons", "notice"),
        ("Broadcaster alex_lord_ is running these apps: Tip Menu, Lovense", "apps"),
        ("Broadcaster Rules: be nice", "rules"),
        ("Rules: be nice", "rules"),
        ("Room Rules: be nice", "rules"),
        ("*** Warning *** do not share your password", "warning"),
        ("CautionThe Chaturbate Team will never ask for your password", "warning"),
        ("Caution: The Chaturbate Team will never ask", "warning"),
        ("[system] something", "system"),
        ("[notice] something", "system"),
        ("To go to next room, press CTRL+/", "hint"),
        ("To send a tip, press CTRL+S or type /tip 25", "hint"),
        ("To disable emoticons, type /noemoticons", "hint"),
        ("alex_lord_ has changed the room subject to: boots", "subject"),
        ("roomsubject changed to: boots", "subject"),
        ("Room subject changed to: boots", "subject"),
        ("alex_lord_ has started a private show", "private_show"),
        ("Privateshow has started", "private_show"),
        ("Privateshow has ended", "private_show"),
        ("alice has started a spy show", "private_show"),
        ("Lovense: alice's tip made the toy vibrate", "toy"),
        ("Lush activated at medium for 10 seconds", "toy"),
        ("Lush is now vibrating at high", "toy"),
        ("Domi is now vibrating at low for 5 sec", "toy"),
        ("vibrating at medium for 10 seconds", "toy"),
        ("alice has RANDOMLY activated Lush for 5 seconds", "toy"),
        ("alice's tip has activated Lush", "toy"),
        ("alice has joined the fan club", "fan_club"),
        ("alice is now a Fan Club member", "fan_club"),
        ("alice has been promoted to moderator", "moderator"),
        ("alice has been silenced by mod_bob", "moderator"),
        ("Moderator mod_bob has silenced alice", "moderator"),
        ("alice is the new King of the Room!", "king"),
        ("King of the Room: alice", "king"),
        ("========================", "separator"),
        ("- - - - - - - -", "separator"),
        ("*** GOAL REACHED ***", "announcement"),
        ("alice is now following", "follow"),
        ("tipmenubot: type /menu", "bot"),
        ("alice:", "empty"),
    ],
)
def test_room_lines_are_dropped_with_their_kind(line, kind):
    log = parse_chat_log(line)
    assert log.messages == []
    assert kinds(log) == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "silence",
        "subscribed!",
        "the room is now hot",
        "has left the room",
        "has joined the room.",
        "Notice: I'm back",
        "Rules: there are none",
        "tipped 50 tokens",
        "is now vibrating lol",
        "*** Warning *** ha",
        "[system] down",
        "To send a tip, press CTRL+S",
    ],
)
def test_platform_words_inside_a_message_are_chat(text):
    for line in (f"alice: {text}", f"alice |100|: {text}"):
        assert said(parse_chat_log(line)) == [("alice", text, "chat", None)]


@pytest.mark.parametrize(
    ("line", "tokens", "note"),
    [
        ("alice tipped 50 tokens", 50, ""),
        ("alice tipped 50 tokens -- boots", 50, "boots"),
        ("alice tipped 50 tokens - boots", 50, "boots"),
        ("alice tipped 50 tokens: boots", 50, "boots"),
        ("alice tipped 50 tk", 50, ""),
        ("alice tipped 50 tks -- boots", 50, "boots"),
        ("alice tipped 1 token", 1, ""),
        ("alice |50| tipped 20 tokens", 20, ""),
    ],
)
def test_tips_with_a_note_after_dashes_or_a_colon_and_tk_or_tks(line, tokens, note):
    assert said(parse_chat_log(line)) == [("alice", note, "tip", tokens)]


@pytest.mark.parametrize(
    "line",
    ["alice: hello there", "alice|100| hello there", "alice |100| hello there", "alice|100|: hello there"],
)
def test_speakers_with_a_colon_or_a_rating_badge(line):
    assert said(parse_chat_log(line)) == [("alice", "hello there", "chat", None)]


def test_a_long_name_seen_only_in_a_join_beats_a_shorter_speaker():
    log = parse_chat_log("alex: hi\nalexandria_x has joined the room.\nalexandria_xHi everyone!")
    assert said(log)[1] == ("alexandria_x", "Hi everyone!", "chat", None)


@pytest.mark.parametrize(
    "proof",
    [
        "alexandria_x: hello",
        "alexandria_x tipped 5 tokens",
        "User alexandria_x has left the room.",
        "alexandria_x has left the room",
        "alexandria_x is now a Fan Club member",
        "alexandria_x has changed the room subject to: hi",
    ],
)
def test_every_line_that_names_someone_proves_the_name(proof):
    log = parse_chat_log(f"alex: hi\nalexandria_xHi everyone!\n{proof}")
    assert said(log)[1][:2] == ("alexandria_x", "Hi everyone!")


def test_names_the_database_knows_resolve_colon_less_lines_longest_first():
    asked: list[set[str]] = []

    def known_people(names: set[str]) -> set[str]:
        asked.append(names)
        return {"alexandria_x", "bob"} & names

    log = parse_chat_log("alex: hi\nalexandria_xHi everyone!\nbobhello", known_people=known_people)
    assert said(log)[1:] == [("alexandria_x", "Hi everyone!", "chat", None), ("bob", "hello", "chat", None)]
    assert len(asked) == 1  # one question for the whole log
    assert log.people == {"alexandria_x", "bob"}  # the users who can be linked


def test_only_users_who_are_known_people_are_linkable():
    log = parse_chat_log("alice: hi\nbob: hey", known_people=lambda names: {"alice", "carol"} & names)
    assert log.people == {"alice"}


def test_a_name_the_database_knows_is_not_taken_from_inside_a_message():
    log = parse_chat_log("alice: bob is here", known_people=lambda names: {"bob"} & names)
    assert said(log) == [("alice", "bob is here", "chat", None)]


def test_the_bookmarklet_export_keeps_times_broadcaster_flag_and_tips():
    log = parse_chat_log(BOOKMARKLET_EXPORT)
    assert [(m.time, m.username, m.text, m.kind, m.tokens, m.is_broadcaster) for m in log.messages] == (
        BOOKMARKLET_MESSAGES
    )
    assert log.broadcaster == "leather_rex"
    assert kinds(log) == ["notice"]  # the room's own line, with no username
    assert [(t.username, t.tokens) for t in log.tips] == [("sub_sam", 50), ("kinky_kai", 25)]


def test_a_tip_menu_posted_in_the_chat_is_gathered_and_its_lines_dropped():
    log = parse_chat_log(CHAT_WITH_MENU, broadcaster="leather_rex")
    assert [(i.item, i.tokens) for i in log.menu.items] == CHAT_MENU_ITEMS
    assert log.menu_text.splitlines() == [
        "⭐ Flash (50)",
        "⭐ Boots worship (99)",
        "⭐ Spank | 35",
        "⭐ Oil show (250)",
    ]
    assert kinds(log) == ["notice", "tip_menu", "tip_menu", "tip_menu", "tip_menu"]
    assert len(log.messages) == 3


def test_a_single_priced_notice_is_not_a_menu():
    log = parse_chat_log("Notice: PVT open, 60 tokens (60)\nalice: hi")
    assert log.menu.items == []
    assert log.menu_text == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alice: hi\r\nbob: hey\r\n", [("alice", "hi"), ("bob", "hey")]),
        ("alice:\thi\tthere", [("alice", "hi there")]),
        ("alice:\u00a0hi\u00a0there", [("alice", "hi there")]),
        ("\u200balice: hi", [("alice", "hi")]),
        ("alice: 😈🔥 ¿qué tal? 日本語", [("alice", "😈🔥 ¿qué tal? 日本語")]),
        ("alice: <b>bold</b> & <script>x</script>", [("alice", "<b>bold</b> & <script>x</script>")]),
        ("\u00a0\t \nalice: hi\n\t\n", [("alice", "hi")]),
    ],
)
def test_line_endings_tabs_no_break_spaces_emoji_and_markup(text, expected):
    log = parse_chat_log(text)
    assert [(m.username, m.text) for m in log.messages] == expected
    assert log.dropped == 0


def test_a_timestamp_in_front_of_a_line_is_kept():
    log = parse_chat_log("[21:05] alice: hi\n21:06:30 bob tipped 5 tokens")
    assert [(m.time, m.username) for m in log.messages] == [("21:05", "alice"), ("21:06:30", "bob")]


def test_colours_are_many_readable_and_never_amber():
    assert len(set(CHAT_COLORS)) >= 24
    background = _luminance("#0f1419")
    for color in CHAT_COLORS:
        assert (_luminance(color) + 0.05) / (background + 0.05) >= 4.5, color
        assert not 20 <= _hue(color) <= 75, color  # orange, amber, gold and yellow mark tips


def test_a_user_keeps_one_colour_in_every_log():
    first = parse_chat_log("kinky_kai: a\nsub_sam: b")
    second = parse_chat_log("SUB_SAM: c\nnew_guy: d\nkinky_kai tipped 5 tokens")
    assert first.users["kinky_kai"] == second.users["kinky_kai"] == chat_color("kinky_kai")
    assert first.users["sub_sam"] == second.users["sub_sam"]
    assert set(first.users.values()) | set(second.users.values()) <= set(CHAT_COLORS)


def test_many_users_spread_over_the_colours():
    colours = {chat_color(f"user_{n}") for n in range(500)}
    assert len(colours) == len(CHAT_COLORS)


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _hue(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def test_the_exports_broadcaster_flag_wins_over_the_profile_it_is_pasted_on():
    log = parse_chat_log(BOOKMARKLET_EXPORT, broadcaster="sub_sam")
    assert {m.username for m in log.messages if m.is_broadcaster} == {"leather_rex", "sub_sam"}
    assert all(m.is_broadcaster for m in log.messages if m.username == "leather_rex")
