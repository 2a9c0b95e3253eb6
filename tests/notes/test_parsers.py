import pytest

from notes.parsers import parse_chat_log, parse_tip_menu
from tests.notes.pastes import (
    ROOM_CHAT,
    ROOM_CHAT_DROPPED,
    ROOM_CHAT_MESSAGES,
    TIP_MENU,
    TIP_MENU_ITEMS,
)


def said(log) -> list[tuple]:
    return [(m.username, m.text, m.kind, m.tokens) for m in log.messages]


def items(menu) -> list[tuple[str, int]]:
    return [(i.item, i.tokens) for i in menu.items]


# --- Public chat ----------------------------------------------------------------------------------


def test_a_room_paste_keeps_chat_and_tips_in_order_and_drops_the_noise():
    log = parse_chat_log(ROOM_CHAT, broadcaster="alex_lord_")
    assert said(log) == ROOM_CHAT_MESSAGES
    assert log.dropped == ROOM_CHAT_DROPPED
    assert [(t.username, t.tokens) for t in log.tips] == [
        ("sub_sam", 50),
        ("kinky_kai", 99),
        ("sub_sam", 250),
    ]
    assert log.tokens_tipped == 399
    assert list(log.users) == ["alex_lord_", "sub_sam", "carlos_88", "kinky_kai", "bricktiger"]


def test_joiners_who_never_speak_are_not_among_the_users():
    log = parse_chat_log(ROOM_CHAT, broadcaster="alex_lord_")
    assert "quiet_tom" not in log.users


def test_a_line_that_lost_its_colon_is_read_with_a_name_seen_later_in_the_log():
    log = parse_chat_log("mattiufrsalut tout le monde\nmattiufr has left the room")
    assert said(log) == [("mattiufr", "salut tout le monde", "chat", None)]
    assert log.dropped == 1


@pytest.mark.parametrize(
    "evidence",
    ["dan_99: first", "dan_99 tipped 10 tokens", "dan_99 has joined the room", "dan_99 |10|: hey"],
)
def test_any_line_that_names_a_user_lets_their_colon_less_lines_be_read(evidence):
    log = parse_chat_log(f"dan_99what's up\n{evidence}")
    assert log.messages[0].username == "dan_99"
    assert log.messages[0].text == "what's up"


def test_the_longest_known_name_wins_when_names_share_a_start():
    log = parse_chat_log("alice: hi\nalice_b: hey\nalice_bhow are you\nalicegood")
    assert said(log)[2:] == [("alice_b", "how are you", "chat", None), ("alice", "good", "chat", None)]


def test_the_broadcasters_colon_less_lines_are_read_with_their_name():
    log = parse_chat_log("leather_rexwelcome boys\nleather_rexgoal is 500", broadcaster="leather_rex")
    assert said(log) == [
        ("leather_rex", "welcome boys", "chat", None),
        ("leather_rex", "goal is 500", "chat", None),
    ]
    assert all(m.is_broadcaster for m in log.messages)


def test_a_colon_less_line_from_someone_seen_nowhere_else_is_kept_without_a_name():
    log = parse_chat_log("alice: hi\nstrangerhello there")
    assert said(log)[1] == ("", "strangerhello there", "chat", None)
    assert log.messages[1].color == ""
    assert "" not in log.users


@pytest.mark.parametrize(
    "line",
    [
        "sub_sam |100|: hi sir",
        "sub_sam|100|: hi sir",
        "sub_sam |100| hi sir",
        "sub_sam|100|hi sir",
        "sub_sam  |100|  :  hi sir",
    ],
)
def test_rating_badges_are_not_part_of_the_message_with_or_without_the_colon(line):
    assert said(parse_chat_log(line)) == [("sub_sam", "hi sir", "chat", None)]


@pytest.mark.parametrize(
    "line",
    [
        "carlos_88 has joined the room.",
        "carlos_88 has joined the room",
        "carlos_88 joined the room",
        "carlos_88 has left the room.",
        "carlos_88 left the room",
        "carlos_88 has joined the room as a moderator",
        "Carlos_88 Has Left The Room",
        "carlos_88 is now following",
    ],
)
def test_joins_and_leaves_are_dropped_and_counted(line):
    log = parse_chat_log(line)
    assert (log.messages, log.dropped) == ([], 1)


@pytest.mark.parametrize(
    "line",
    [
        "Notice: Welcome to alex_lord_'s room!",
        "notice: bricktiger is a new follower",
        "NOTICE : Goal reached! Thank you all",
        "Room subject changed to: Oil show at goal #leather",
        "Room Subject: oil show",
        "Room Rules: be respectful",
        "Rules: no spam, no demands",
        "Topic: tattoo talk",
        "Welcome to leather_rex's room! Have fun",
    ],
)
def test_notices_rules_and_topic_lines_are_dropped(line):
    log = parse_chat_log(line)
    assert (log.messages, log.dropped) == ([], 1)


@pytest.mark.parametrize(
    "line",
    [
        "[Tip Menu] Flash 50 | Oil show 250",
        "[Lovense] sub_sam's tip: 10 seconds of vibration",
        "Lovense: sub_sam's tip made the toy vibrate",
        "Tip Menu: Flash 50, Oil 250",
        "Tip Goal: 1200 tokens for the oil show",
        "*** GOAL REACHED ***",
        "--- King of the room: sub_sam ---",
        "tipmenubot: type /menu to see the menu",
        "roomba_bot |1|: rules are in the bio",
        "King of the Room: sub_sam",
    ],
)
def test_app_and_bot_lines_are_dropped(line):
    log = parse_chat_log(f"alice: hi\n{line}")
    assert said(log) == [("alice", "hi", "chat", None)]
    assert log.dropped == 1


@pytest.mark.parametrize(
    ("line", "tokens", "text"),
    [
        ("alice tipped 50 tokens", 50, ""),
        ("alice tipped 1 token", 1, ""),
        ("alice tipped 1,000 tokens", 1000, ""),
        ("alice has tipped 25 tokens", 25, ""),
        ("alice |100| tipped 25 tokens", 25, ""),
        ("alice tipped 25 tokens -- for the oil", 25, "for the oil"),
        ("alice tipped 25 tokens: for the oil", 25, "for the oil"),
        ("alice tipped 25 tokens - for the oil 💦", 25, "for the oil 💦"),
        ("alice tipped 25 tokens for the oil", 25, "for the oil"),
        ("Alice Tipped 25 Tokens", 25, ""),
        ("alicetipped 25 tokens", 25, ""),
        ("alice tipped 25 tks", 25, ""),
    ],
)
def test_tips_become_tip_events_with_their_tokens_and_message(line, tokens, text):
    log = parse_chat_log(line)
    assert said(log) == [("alice", text, "tip", tokens)]
    assert [(t.username, t.tokens) for t in log.tips] == [("alice", tokens)]


def test_a_message_that_talks_about_tipping_is_chat_not_a_tip():
    log = parse_chat_log("bob: I tipped 50 tokens earlier")
    assert said(log) == [("bob", "I tipped 50 tokens earlier", "chat", None)]
    assert log.tips == []


def test_only_the_broadcasters_lines_are_marked():
    log = parse_chat_log(ROOM_CHAT, broadcaster="Alex_Lord_")
    marked = {m.username for m in log.messages if m.is_broadcaster}
    assert marked == {"alex_lord_"}
    assert log.broadcaster == "alex_lord_"
    assert not any(m.is_broadcaster for m in parse_chat_log(ROOM_CHAT).messages)


def test_usernames_are_lower_cased():
    assert said(parse_chat_log("BrickTiger: Hi")) == [("bricktiger", "Hi", "chat", None)]


@pytest.mark.parametrize("stamp", ["12:34", "[12:34]", "[12:34:56]", "(9:05 PM)", "21:05:59"])
def test_clock_times_in_front_of_lines_are_ignored(stamp):
    log = parse_chat_log(f"{stamp} alice: hi\n{stamp} bob tipped 5 tokens\n{stamp} carl has joined the room")
    assert said(log) == [("alice", "hi", "chat", None), ("bob", "", "tip", 5)]
    assert log.dropped == 1


def test_blank_lines_and_windows_line_endings_are_neither_messages_nor_noise():
    log = parse_chat_log("alice: hi\r\n\r\n   \r\nbob: hey\r\n")
    assert said(log) == [("alice", "hi", "chat", None), ("bob", "hey", "chat", None)]
    assert log.dropped == 0


def test_an_empty_paste_is_an_empty_log():
    log = parse_chat_log("")
    assert (log.messages, log.users, log.tips, log.dropped) == ([], {}, [], 0)


def test_a_line_with_nothing_after_the_name_is_noise():
    log = parse_chat_log("alice:\nalice: hi")
    assert said(log) == [("alice", "hi", "chat", None)]
    assert log.dropped == 1


def test_links_are_not_mistaken_for_usernames():
    log = parse_chat_log("bob: look https://example.com/x\nhttps://example.com/y")
    assert said(log) == [
        ("bob", "look https://example.com/x", "chat", None),
        ("", "https://example.com/y", "chat", None),
    ]


def test_a_colon_less_line_from_a_bot_is_dropped():
    log = parse_chat_log("menubot: hi\nmenubottype /menu\nalice: ok")
    assert said(log) == [("alice", "ok", "chat", None)]
    assert log.dropped == 2


@pytest.mark.parametrize(
    "line",
    ["alice tipped 1" + ",000" * 3000 + " tokens", "alice tipped " + "9" * 5000 + " tokens", "a" * 200_000],
)
def test_absurd_lines_are_read_as_chat_without_failing(line):
    log = parse_chat_log(line)
    assert log.tips == []
    assert len(log.messages) == 1


def test_markup_is_kept_as_plain_text_for_the_formatter_to_escape():
    log = parse_chat_log("alice: <script>alert(1)</script>\n<img src=x onerror=alert(1)>")
    assert said(log) == [
        ("alice", "<script>alert(1)</script>", "chat", None),
        ("", "<img src=x onerror=alert(1)>", "chat", None),
    ]


# --- Tip menus ------------------------------------------------------------------------------------


def test_a_pasted_menu_in_mixed_formats_gives_its_items_in_order():
    assert items(parse_tip_menu(TIP_MENU)) == TIP_MENU_ITEMS


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Flash - 50 tokens", ("Flash", 50)),
        ("Flash - 50", ("Flash", 50)),
        ("50 - Flash", ("Flash", 50)),
        ("50 tokens - Flash", ("Flash", 50)),
        ("50tk Flash", ("Flash", 50)),
        ("Flash: 50", ("Flash", 50)),
        ("Flash : 50 tokens", ("Flash", 50)),
        ("Flash (50)", ("Flash", 50)),
        ("Flash (50 tokens)", ("Flash", 50)),
        ("Flash [50tk]", ("Flash", 50)),
        ("Flash = 50", ("Flash", 50)),
        ("Flash | 50", ("Flash", 50)),
        ("Flash -> 50", ("Flash", 50)),
        ("Flash ➜ 50 tks", ("Flash", 50)),
        ("Flash ...... 50", ("Flash", 50)),
        ("Flash 50", ("Flash", 50)),
        ("Flash 50tk", ("Flash", 50)),
    ],
)
def test_each_accepted_shape_of_a_line(line, expected):
    assert items(parse_tip_menu(line)) == [expected]


@pytest.mark.parametrize("unit", ["tokens", "token", "tks", "tk", "TOKENS", "Tks", "TK", "tk.", ""])
def test_units_are_optional_and_in_any_case(unit):
    assert items(parse_tip_menu(f"Oil show - 250 {unit}")) == [("Oil show", 250)]
    assert items(parse_tip_menu(f"250 {unit} - Oil show")) == [("Oil show", 250)]


@pytest.mark.parametrize(
    "line",
    [
        "❤️ Kiss ❤️ - 15",
        "💋💋 Kiss 💋💋 15 tokens",
        "• Kiss — 15",
        "★ Kiss ★ (15)",
        "   Kiss     -    15    ",
        "~ Kiss ~ 15 tk 🔥🔥",
        "Kiss 👉 15",
    ],
)
def test_emoji_bullets_and_extra_whitespace_are_trimmed_from_items(line):
    assert items(parse_tip_menu(line)) == [("Kiss", 15)]


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   ",
        "TIP MENU",
        "💋💋 TIP MENU 💋💋",
        "~~~~~~~~~~~~",
        "Tip menu (updated weekly)",
        "Goal: 1200 tokens for the oil show",
        "Thank you all for the love ❤️",
        "10 squats",
        "Flash 0",
        "Top10",
        "123",
        "Flash - 2.5 tokens",
    ],
)
def test_lines_that_are_not_items_are_skipped(line):
    assert parse_tip_menu(line).items == []


def test_a_one_line_menu_gives_each_of_its_items():
    assert items(parse_tip_menu("Menu du jour • Flash 40 | Dance 60 · Feet 30 | Oil 200")) == [
        ("Flash", 40),
        ("Dance", 60),
        ("Feet", 30),
        ("Oil", 200),
    ]


def test_numbers_inside_item_names_are_not_taken_for_prices():
    assert items(parse_tip_menu("Squat 10 times - 20tk\n100 - Spin wheel 2\n10 squats (30)")) == [
        ("Squat 10 times", 20),
        ("Spin wheel 2", 100),
        ("10 squats", 30),
    ]


def test_a_range_keeps_its_lower_bound_and_shows_the_range_in_the_name():
    assert items(parse_tip_menu("1-14 tokens - song request\nSpin the wheel 15-49 tks")) == [
        ("song request (1-14 tokens)", 1),
        ("Spin the wheel (15-49 tokens)", 15),
    ]


def test_thousands_separators_are_read():
    assert items(parse_tip_menu("Private show - 1,000 tokens\nFull week 1.500 tk\nCam2cam 12000")) == [
        ("Private show", 1000),
        ("Full week", 1500),
        ("Cam2cam", 12000),
    ]


def test_brackets_inside_item_names_are_kept():
    assert items(parse_tip_menu("Flash (no face) - 60 tokens\nSpank [hard] 40")) == [
        ("Flash (no face)", 60),
        ("Spank [hard]", 40),
    ]


def test_markup_in_item_names_stays_as_it_was_typed():
    menu = parse_tip_menu(
        "<script>alert(1)</script> (20)\n<img src=x onerror=alert(1)> - 30\n<3 Kiss <3 - 15"
    )
    assert items(menu) == [
        ("<script>alert(1)</script>", 20),
        ("<img src=x onerror=alert(1)>", 30),
        ("<3 Kiss <3", 15),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Flash - 1" + ",000" * 3000 + " tokens",
        "Flash " + "9" * 5000,
        "9" * 5000 + " - Flash",
        "Flash (1" + ".000" * 2000 + ")",
        "1" + ",000" * 2000 + " tk - Flash",
        "Flash - 12345678 tokens",
        "🔥" * 100_000,
        "(" * 100_000 + "1",
    ],
)
def test_absurd_prices_and_lines_are_not_items_and_do_not_fail(line):
    assert parse_tip_menu(line).items == []


def test_an_empty_menu_has_no_items():
    assert parse_tip_menu("").items == []
