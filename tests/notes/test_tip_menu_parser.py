"""The tip-menu parser's newer rules, and what changed between two menus."""

import pytest

from notes.parsers import TipMenuItem, menu_changes, parse_tip_menu
from tests.notes.pastes import MENU_AFTER, MENU_BEFORE


def items(text: str) -> list[tuple[str, int]]:
    return [(i.item, i.tokens) for i in parse_tip_menu(text).items]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Flash | 50", [("Flash", 50)]),
        ("Flash | 50 tokens", [("Flash", 50)]),
        ("[50] Flash", [("Flash", 50)]),
        ("[50 tk] Flash", [("Flash", 50)]),
        ("Flash [50]", [("Flash", 50)]),
        ("⭐ [100] Oil show ⭐", [("Oil show", 100)]),
    ],
)
def test_a_bar_before_the_price_and_prices_in_square_brackets(line, expected):
    assert items(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Flash 50 | Kiss 20 | Oil 200",
        "Flash (50) Kiss (20) Oil (200)",
        "Flash [50] Kiss [20] Oil [200]",
        "Flash 50, Kiss 20, Oil 200",
        "Flash | 50 | Kiss | 20 | Oil | 200",
        "Flash 50 • Kiss 20 • Oil 200",
        "Flash - 50 / Kiss - 20 / Oil - 200",
        "Flash 50; Kiss 20; Oil 200",
    ],
)
def test_several_items_on_one_line_keep_their_order(line):
    assert items(line) == [("Flash", 50), ("Kiss", 20), ("Oil", 200)]


@pytest.mark.parametrize(
    "line",
    [
        "low 1+ / medium 15+ / high 50+",
        "Low 1+ | Medium 15+ | High 50+ | Ultra 100+",
        "1-14 tokens - low vibration",
        "15-49 tks = medium vibes",
        "Lovense: 1+ low, 15+ medium, 50+ high",
        "Level 1: 1-9 tokens",
    ],
)
def test_toy_levels_are_not_items(line):
    assert items(line) == []


@pytest.mark.parametrize(
    "line",
    [
        "I'm 24",
        "I'm 24 and love boots",
        "Age: 24",
        "24 years old",
        "24 yo from Madrid",
        "Next show 12/05",
        "Back on 2024-05-01",
        "Live on May 5",
        "Online 9pm",
        "Show starts at 21:00",
        "Online at 9",
        "Goal: 500 tokens for the oil show",
        "Goal - 1000",
        "#goal oil show 800",
        "300 tokens left to the oil show",
        "Thank you for 1000 followers",
        "we hit 1000",
        "back in 5",
        "Thanks to my top 3",
        "I will be online every day for 2",
    ],
)
def test_ages_dates_times_goals_and_prose_with_numbers_are_not_items(line):
    assert items(line) == []


def test_an_item_may_still_name_a_time():
    assert items("Show at 9pm - 100 tokens") == [("Show at 9pm", 100)]


def test_items_keep_the_order_they_were_written_in():
    menu = "Oil show (250)\nFlash - 50\n[10] Kiss\nSpank | 35\nlow 1+ / high 50+\nDance: 20"
    assert items(menu) == [("Oil show", 250), ("Flash", 50), ("Kiss", 10), ("Spank", 35), ("Dance", 20)]


@pytest.mark.parametrize(
    "menu",
    [
        "Flash - 50\r\nKiss (20)\r\n",
        "Flash\t-\t50\nKiss\t(20)",
        "Flash\u00a0-\u00a050\nKiss\u00a0(20)",
        "💋 Flash 💋 - 50\n✨ Kiss ✨ (20)",
    ],
)
def test_line_endings_tabs_no_break_spaces_and_emoji(menu):
    assert items(menu) == [("Flash", 50), ("Kiss", 20)]


def test_what_changed_between_two_menus():
    changes = menu_changes(parse_tip_menu(MENU_BEFORE), parse_tip_menu(MENU_AFTER))
    assert changes.added == [TipMenuItem("Cam2cam (per minute)", 60)]
    assert changes.removed == [TipMenuItem("Boots worship", 99)]
    assert [(c.item, c.old, c.new) for c in changes.changed] == [("Flash", 50, 60), ("Oil show", 250, 300)]
    assert changes


def test_names_are_compared_without_case_spacing_or_punctuation():
    changes = menu_changes(
        parse_tip_menu("Oil show - 250\nFlash!! - 50"), parse_tip_menu("OIL  SHOW (250)\nflash 50")
    )
    assert not changes


def test_an_unchanged_menu_has_no_changes():
    assert not menu_changes(parse_tip_menu(MENU_BEFORE), parse_tip_menu(MENU_BEFORE))
