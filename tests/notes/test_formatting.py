from html.parser import HTMLParser

import pytest

from notes.colors import chat_color_index
from notes.formatting import chat_line_count, format_note, sanitize
from tests.notes.pastes import (
    ROOM_CHAT,
    ROOM_CHAT_MESSAGES,
    TIP_MENU,
    TIP_MENU_ITEMS,
    XSS_IMG,
    XSS_LINK,
    XSS_SCRIPT,
)

MARKUP = [XSS_SCRIPT, XSS_IMG, XSS_LINK]
OUR_TAGS = {"ol", "li", "b", "a", "span", "table", "thead", "tbody", "tr", "th", "td"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def elements_of(html: str) -> list[tuple[str, list]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def as_text(markup: str) -> str:
    return markup.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_chat_log_is_a_list_with_each_username_in_its_tone_and_tips_marked():
    html = format_note(content=ROOM_CHAT, category="public_chat", broadcaster="alex_lord_")
    assert html.startswith('<ol class="chat-log">')
    assert chat_line_count(html) == len(ROOM_CHAT_MESSAGES)
    assert f'<b class="chat-c{chat_color_index("sub_sam")}">sub_sam</b>' in html
    assert html.count('<li class="chat-tip">') == 3
    assert '<span class="chat-tokens">tipped 250 tokens</span> OIL!!</li>' in html
    assert html.count("chat-broadcaster") == 4
    assert "has joined" not in html
    assert "Notice" not in html


def test_a_tip_menu_is_a_table_of_items_and_tokens():
    html = format_note(content=TIP_MENU, category="tip_menu")
    assert html.startswith('<table class="table tip-menu">')
    assert html.count("<tr>") == len(TIP_MENU_ITEMS) + 1
    assert '<tr><td>Private show</td><td class="num">1,000</td></tr>' in html


@pytest.mark.parametrize("category", ["note", "pm", "dm"])
def test_other_categories_have_no_html_of_their_own(category):
    assert format_note(content="alice: hi <b>there</b>", category=category) == ""


def test_nothing_readable_gives_no_html():
    assert format_note(content="Notice: nothing here", category="public_chat") == ""
    assert format_note(content="TIP MENU", category="tip_menu") == ""


@pytest.mark.parametrize("markup", MARKUP)
def test_pasted_markup_ends_up_as_text_in_chat_logs(markup):
    html = format_note(
        content=f"alice: {markup}\n{markup}\nbob tipped 5 tokens {markup}", category="public_chat"
    )
    assert html.count(as_text(markup)) == 3
    for tag, attributes in elements_of(html):
        assert tag in OUR_TAGS
        assert [name for name, _ in attributes] in ([], ["class"])


@pytest.mark.parametrize("markup", MARKUP)
def test_pasted_markup_ends_up_as_text_in_tip_menus(markup):
    html = format_note(content=f"{markup} - 20\nFlash (30)", category="tip_menu")
    assert f"<td>{as_text(markup)}</td>" in html
    for tag, attributes in elements_of(html):
        assert tag in OUR_TAGS
        assert [name for name, _ in attributes] in ([], ["class"])


def test_a_username_or_message_cannot_break_out_of_its_element():
    html = format_note(content='alice: "><img src=x onerror=alert(1)>\n"><b>x</b>', category="public_chat")
    assert [tag for tag, _ in elements_of(html)] == ["ol", "li", "b", "li"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_sanitizer_keeps_only_our_own_tags_and_classes():
    dirty = (
        '<ol class="chat-log evil"><li class="chat-tip x" onclick="x()" style="color:red">'
        '<b class="chat-c3 tone-red" id="x">a</b><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a class="chat-c4" href="/profile/bob/" target="_blank">bob</a>'
        "<img src=x onerror=alert(1)></li></ol>"
    )
    assert sanitize(dirty) == (
        '<ol class="chat-log"><li class="chat-tip"><b class="chat-c3">a</b>'
        '<a>x</a><a class="chat-c4" href="/profile/bob/">bob</a></li></ol>'
    )
