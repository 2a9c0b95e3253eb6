"""Parsers for what the owner pastes: public chat copied from a room (`chat`), and broadcasters'
tip menus (`tip_menu`). Pure functions from text to small records; no database, no HTML (see
`notes.formatting` for the rendering)."""

from notes.parsers.chat import CHAT, TIP, ChatLog, ChatMessage, DroppedLine, Tip, parse_chat_log
from notes.parsers.chat_lines import DROP_LABELS
from notes.parsers.tip_menu import (
    MenuChanges,
    PriceChange,
    TipMenu,
    TipMenuItem,
    menu_changes,
    menu_items,
    parse_tip_menu,
)

__all__ = [
    "CHAT",
    "DROP_LABELS",
    "TIP",
    "ChatLog",
    "ChatMessage",
    "DroppedLine",
    "MenuChanges",
    "PriceChange",
    "Tip",
    "TipMenu",
    "TipMenuItem",
    "menu_changes",
    "menu_items",
    "parse_chat_log",
    "parse_tip_menu",
]
