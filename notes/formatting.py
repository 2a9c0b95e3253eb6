"""The HTML a note is shown with, built by the server from parsed text.

Every piece of pasted text is escaped before it goes into markup, and the result is cleaned with
nh3 against a short list of tags and classes, so a pasted `<script>`, `<img onerror=…>` or
`javascript:` link is only ever shown as text. Usernames take their stable tone (`tone-<name>`,
see `mhc.colors`), the same colour in every log and on every page.
"""

from html import escape

import nh3

from mhc.colors import TONES, tone_for
from notes.models import Note
from notes.parsers import TIP, ChatLog, ChatMessage, TipMenu, parse_chat_log, parse_tip_menu

_TONE_CLASSES = {f"tone-{name}" for name in TONES}
_CLEANER = nh3.Cleaner(
    tags={"ol", "li", "span", "table", "thead", "tbody", "tr", "th", "td"},
    attributes={},
    allowed_classes={
        "ol": {"chat-log"},
        "li": {"chat-line", "chat-tip", "chat-broadcaster", "chat-unknown"},
        "span": {"chat-user", "chat-role", "chat-tokens", "chat-text", *_TONE_CLASSES},
        "table": {"table", "tip-menu"},
        "th": {"num"},
        "td": {"num"},
    },
    link_rel=None,
    strip_comments=True,
)


def sanitize(html: str) -> str:
    """`html` with anything but our own chat-log and tip-menu markup removed."""
    return _CLEANER.clean(html)


def _tokens(amount: int) -> str:
    return f"{amount:,} token{'' if amount == 1 else 's'}"


def _chat_line(message: ChatMessage, tones: dict[str, str]) -> str:
    classes = ["chat-line"]
    parts = []
    if message.username:
        tone = tones.get(message.username) or tones.setdefault(message.username, tone_for(message.username))
        parts.append(f'<span class="chat-user tone-{tone}">{escape(message.username)}</span>')
    else:
        classes.append("chat-unknown")
    if message.is_broadcaster:
        classes.append("chat-broadcaster")
        parts.append('<span class="chat-role">broadcaster</span>')
    if message.kind == TIP:
        classes.append("chat-tip")
        parts.append(f'<span class="chat-tokens">tipped {_tokens(message.tokens or 0)}</span>')
    if message.text:
        parts.append(f'<span class="chat-text">{escape(message.text)}</span>')
    return f'<li class="{" ".join(classes)}">{" ".join(parts)}</li>'


def chat_log_html(log: ChatLog) -> str:
    """A chat log as an ordered list: one row per message, tips highlighted."""
    if not log.messages:
        return ""
    tones: dict[str, str] = {}  # username → tone, worked out once per user
    rows = "".join(_chat_line(message, tones) for message in log.messages)
    return sanitize(f'<ol class="chat-log">{rows}</ol>')


def tip_menu_html(menu: TipMenu) -> str:
    """A tip menu as a table of item and tokens."""
    if not menu.items:
        return ""
    rows = "".join(
        f'<tr><td>{escape(item.item)}</td><td class="num">{item.tokens:,}</td></tr>' for item in menu.items
    )
    return sanitize(
        '<table class="table tip-menu"><thead><tr><th>Item</th><th class="num">Tokens</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def format_note(*, content: str, category: str, broadcaster: str | None = None) -> str:
    """The stored `formatted_content` of a note: chat logs and tip menus get HTML, the rest none
    (their text is shown as it is, escaped by the template)."""
    if category == Note.Category.PUBLIC_CHAT:
        return chat_log_html(parse_chat_log(content, broadcaster=broadcaster))
    if category == Note.Category.TIP_MENU:
        return tip_menu_html(parse_tip_menu(content))
    return ""


def chat_line_count(formatted_content: str) -> int:
    """How many rows a stored chat log has (to decide whether to collapse it)."""
    return formatted_content.count('<li class="chat-line')
