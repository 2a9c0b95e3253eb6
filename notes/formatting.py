"""The HTML a note is shown with, built by the server from parsed text.

Every piece of pasted text is escaped before it goes into markup, and the result is cleaned with
nh3 against a short list of tags, classes and attributes, so a pasted `<script>`,
`<img onerror=…>` or `javascript:` link is only ever shown as text. Usernames take their stable
colour (`chat-c<N>`, see `notes.colors`), the same in every log; those who are people in the
database link to their profile. The markup is lean on purpose: a 1 MB log makes 20,000 rows, and
nh3 reads every byte of them; rows are even left unclosed (HTML closes an <li> at the next one),
and nh3's output closes them.
"""

from html import escape

import nh3
from django.urls import reverse

from notes.colors import CHAT_COLORS, chat_color_index
from notes.models import Note
from notes.parsers import TIP, ChatLog, ChatMessage, TipMenu, parse_chat_log, parse_tip_menu
from notes.parsers.chat import KnownPeople

_COLOR_CLASSES = {f"chat-c{index}" for index in range(len(CHAT_COLORS))}
_CLEANER = nh3.Cleaner(
    tags={"ol", "li", "b", "span", "a", "table", "thead", "tbody", "tr", "th", "td"},
    attributes={"a": {"href"}},
    allowed_classes={
        "ol": {"chat-log"},
        "li": {"chat-tip", "chat-broadcaster", "chat-unknown"},
        "b": _COLOR_CLASSES,
        "span": {"chat-role", "chat-tokens", "chat-time"},
        "a": _COLOR_CLASSES,
        "table": {"table", "tip-menu"},
        "th": {"num"},
        "td": {"num"},
    },
    url_schemes={"http", "https"},
    link_rel=None,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """`html` with anything but our own chat-log and tip-menu markup removed."""
    return _CLEANER.clean(html)


def tokens_text(amount: int) -> str:
    return f"{amount:,} token{'' if amount == 1 else 's'}"


def _user_html(username: str, linked: bool) -> str:
    """A username in its colour; a link to the profile when they are a person in the database.
    Usernames are `[a-z0-9_]` (the parser's pattern), so they need no escaping."""
    color = f"chat-c{chat_color_index(username)}"
    if linked:
        url = reverse("profile-detail", kwargs={"username": username})
        return f'<a class="{color}" href="{url}">{username}</a> '
    return f'<b class="{color}">{username}</b> '


def _chat_line(message: ChatMessage, users: dict[str, str]) -> str:
    classes = []
    parts = []
    if message.time:
        parts.append(f'<span class="chat-time">{escape(message.time)}</span> ')
    if message.username:
        parts.append(users[message.username])
    else:
        classes.append("chat-unknown")
    if message.is_broadcaster:
        classes.append("chat-broadcaster")
        parts.append('<span class="chat-role">broadcaster</span> ')
    if message.kind == TIP:
        classes.append("chat-tip")
        parts.append(f'<span class="chat-tokens">tipped {tokens_text(message.tokens or 0)}</span> ')
    parts.append(escape(message.text, quote=False))
    opening = f'<li class="{" ".join(classes)}">' if classes else "<li>"
    return f"{opening}{''.join(parts)}"


def chat_log_html(log: ChatLog) -> str:
    """A chat log as an ordered list: one row per message, tips highlighted."""
    if not log.messages:
        return ""
    users = {name: _user_html(name, name in log.people) for name in log.users}  # once per user
    rows = []
    add = rows.append
    for message in log.messages:
        name, text, kind, _tokens, is_broadcaster, time = message
        if name and kind != TIP and not is_broadcaster and not time:  # most rows
            add(f"<li>{users[name]}{escape(text, quote=False)}")
        else:
            add(_chat_line(message, users))
    return sanitize(f'<ol class="chat-log">{"".join(rows)}</ol>')


def tip_menu_html(menu: TipMenu) -> str:
    """A tip menu as a table of item and tokens."""
    if not menu.items:
        return ""
    rows = "".join(
        f'<tr><td>{escape(item.item, quote=False)}</td><td class="num">{item.tokens:,}</td></tr>'
        for item in menu.items
    )
    return sanitize(
        '<table class="table tip-menu"><thead><tr><th>Item</th><th class="num">Tokens</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def format_note(
    *, content: str, category: str, broadcaster: str | None = None, known_people: KnownPeople | None = None
) -> str:
    """The stored `formatted_content` of a note: chat logs and tip menus get HTML, the rest none
    (their text is shown as it is, escaped by the template). `known_people` (see
    `notes.selectors.usernames_known`) lets a chat log read and link the people in the database."""
    if category == Note.Category.PUBLIC_CHAT:
        return chat_log_html(parse_chat_log(content, broadcaster=broadcaster, known_people=known_people))
    if category == Note.Category.TIP_MENU:
        return tip_menu_html(parse_tip_menu(content))
    return ""


def chat_line_count(formatted_content: str) -> int:
    """How many rows a stored chat log has (to decide whether to collapse it)."""
    return formatted_content.count("<li")
