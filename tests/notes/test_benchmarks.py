import pytest

from mhc.bench import Bench
from notes.benchmarks import chat_log, parsers, tip_menu
from notes.parsers import parse_chat_log, parse_tip_menu


def test_the_generated_pastes_have_every_kind_of_line_and_their_size():
    chat = chat_log(50_000)
    assert 50_000 <= len(chat.encode()) < 51_000
    log = parse_chat_log(chat, broadcaster="broadcaster_1")
    assert log.tips
    assert log.dropped
    assert any(m.is_broadcaster for m in log.messages)
    unknown = [m for m in log.messages if not m.username]  # colon-less, by someone seen nowhere else
    assert len(unknown) < len(log.messages) / 50
    kinds = {line.kind for line in log.dropped_lines}
    assert {"presence", "notice", "apps", "rules", "warning", "hint", "toy", "fan_club", "moderator"} <= kinds
    assert len(log.menu.items) >= 2  # the room's menu, posted in notices
    menu = tip_menu(10_000)
    assert menu.count("\n") == 9_999
    assert 7_000 < len(parse_tip_menu(menu).items) < 10_000


@pytest.mark.django_db
def test_the_parsers_benchmark_measures_every_step_against_its_floor():
    bench = Bench(name="notes-parsers", size=20_000, storage="local")
    parsers(bench)
    labels = [m.label for m in bench.measurements]
    assert labels == [
        "parse_chat_log",
        "chat: parse + HTML + nh3",
        "note_create (chat log, stored)",
        "POST /api/notes/preview (chat log)",
        "parse_tip_menu",
        "menu: parse + HTML + nh3",
    ]
    assert all(m.mb_per_second for m in bench.measurements)
    ratios = {m.label: m.ratio_to_floor for m in bench.measurements if m.ratio_to_floor is not None}
    assert set(ratios) == {
        "parse_chat_log",
        "chat: parse + HTML + nh3",
        "parse_tip_menu",
        "menu: parse + HTML + nh3",
    }
