"""The shapes of the lines a copy of a room's chat holds, as regular expressions.

Every shape describes a whole line, the platform's own wording with a username in its slot, so a
viewer who types "silence", "has left the room" or "rules" inside a message is still chatting:
their line starts with their name and a colon, which none of these shapes allows.
"""

import re

from notes.parsers.text import BADGE, NAME, TOKENS

# Why a line was dropped, as the preview names it.
PRESENCE = "presence"
FOLLOW = "follow"
NOTICE = "notice"
MENU = "tip_menu"
APPS = "apps"
APP = "app"
RULES = "rules"
WARNING = "warning"
SYSTEM = "system"
HINT = "hint"
SUBJECT = "subject"
PRIVATE_SHOW = "private_show"
TOY = "toy"
FAN_CLUB = "fan_club"
MODERATOR = "moderator"
KING = "king"
ANNOUNCEMENT = "announcement"
SEPARATOR = "separator"
BOT = "bot"
EMPTY = "empty"

DROP_LABELS = {
    PRESENCE: "joined or left",
    FOLLOW: "follow",
    NOTICE: "notice",
    MENU: "tip menu",
    APPS: "apps running",
    APP: "app line",
    RULES: "rules",
    WARNING: "warning",
    SYSTEM: "system",
    HINT: "keyboard hint",
    SUBJECT: "room subject",
    PRIVATE_SHOW: "private or spy show",
    TOY: "toy",
    FAN_CLUB: "fan club",
    MODERATOR: "moderation",
    KING: "king of the room",
    ANNOUNCEMENT: "announcement",
    SEPARATOR: "separator",
    BOT: "bot",
    EMPTY: "nothing said",
}

_TOY_BRANDS = r"(?:lovense|lush|domi|nora|hush|edge|ferri|osci|gush|max|dolce|ambi|calor|diamo|solace)"

# Lines that start with the platform's fixed words. The outer group's name is the drop kind; a
# group inside it only carries a part (the notice's text, the broadcaster's name).
SYSTEM_LINE = re.compile(
    r"(?:"
    r"(?P<notice>notice\s*:\s*(?P<notice_text>.*))"
    r"|(?P<system>\[\s*(?:system|notice)\s*\].*)"
    rf"|(?P<apps>broadcaster\s+(?P<apps_name>{NAME})\s+is\s+running\s+(?:these|the\s+following)\s+apps?\b.*)"
    r"|(?P<rules>(?:broadcaster\s+|room\s+)?rules\s*:.*)"
    r"|(?P<warning>\*+\s*warning\s*\*+.*|caution\s*:?\s*the\s+chaturbate\s+team\b.*)"
    r"|(?P<hint>to\s+(?:go\s+to\s+(?:the\s+)?next\s+room|send\s+a\s+tip|(?:disable|enable|hide|show|toggle)\s+\w+)"
    r"\b.*\b(?:press|type|click|use|ctrl)\b.*)"
    r"|(?P<subject>room\s*subject\s+(?:changed|updated|is)\b.*|(?:room\s+)?(?:subject|topic)\s*:.*)"
    r"|(?P<private_show>(?:private|spy|group)\s*show\s+(?:has\s+)?(?:started|ended|begun|finished|stopped)\b.*)"
    rf"|(?P<toy>(?:lovense|lush|domi|nora|hush)\s*:.*|{_TOY_BRANDS}\b.{{0,40}}?\b(?:is\s+now|activated|vibrat\w*)\b.*"
    r"|(?:is\s+now\s+)?vibrating\b.*\bfor\s+\d.*)"
    r"|(?P<king>(?:the\s+)?(?:new\s+)?king\s+of\s+the\s+room\b.*)"
    r"|(?P<fan_club>(?:new\s+)?fan\s*club\s+(?:member|join)\w*\b.*)"
    r"|(?P<notice_welcome>welcome\s+to\b.{0,80}\broom\b.*)"
    r"|(?P<app>\[[^\]]{1,40}\].*"
    r"|(?:tip\s*menu|menu|tip\s*goal|goal|countdown|multi\s*goal|rotating\s+notifier)\s*[:\-|>].*)"
    r"|(?P<separator>[-=_*~#+.·•─━═\u2013\u2014|<>\s]{3,})$"
    r"|(?P<announcement>(?:[*=~#\-+]{3,}|[★☆]).*)"
    r")$",
    re.IGNORECASE,
)
# The first four characters (lower-cased) of the words a SYSTEM_LINE starts with: lines that start
# otherwise, with a letter or a digit, skip the expression.
SYSTEM_PREFIXES = frozenset(
    {"noti", "broa", "rule", "room", "caut", "priv", "spy ", "spys", "grou", "vibr", "is n", "king", "the "}
    | {"new ", "fan ", "fanc", "welc", "subj", "topi", "tip ", "tipm", "menu", "goal", "coun", "mult", "rota"}
    | {"to g", "to s", "to d", "to e", "to h", "to t", "love", "lush", "domi", "nora", "hush", "edge", "ferr"}
    | {"osci", "gush", "max ", "dolc", "ambi", "calo", "diam", "sola"}
)

# What follows a name at the start of a line (after an optional rating badge) when the line is an
# event about them rather than something they said.
EVENT_AFTER_NAME = re.compile(
    r"(?:"
    r"(?P<presence>\s+(?:has\s+)?(?:joined|left|entered|exited)\s+(?:the\s+)?(?:room|chat)"
    r"(?:\s+as\s+an?\s+\w+)?\s*[.!]?)"
    r"|(?P<follow>\s+(?:is\s+now\s+following|started\s+following|has\s+followed|followed)(?:\s+\w+)?\s*[.!]?)"
    r"|(?P<subject>\s+has\s+(?:changed|set|updated)\s+the\s+(?:room\s+)?subject\b.*)"
    r"|(?P<private_show>\s+has\s+(?:started|ended|joined|left|stopped)\s+(?:a\s+|the\s+|her\s+|his\s+)?"
    r"(?:private|spy|group)\s+show\b.*"
    r"|\s+is\s+(?:now\s+)?(?:in\s+)?(?:a\s+)?(?:private|spy)\s+show\b.*)"
    r"|(?P<fan_club>\s+(?:has\s+)?(?:joined|became\s+a\s+member\s+of)\s+(?:the\s+|my\s+|\w+'s\s+)?fan\s*club\b.*"
    r"|\s+is\s+now\s+(?:a\s+)?fan\s*club\s+member\b.*)"
    r"|(?P<moderator>\s+(?:has\s+been|was|is\s+now)\s+(?:(?:promoted|made|appointed)\s+(?:to\s+)?(?:an?\s+)?"
    r"moderator|an?\s+moderator|(?:silenced|unsilenced|kicked|banned|muted)(?:\s+by\s+\w+)?)\b.*"
    rf"|\s+has\s+(?:silenced|unsilenced|kicked|banned|muted)\s+{NAME}.*)"
    r"|(?P<king>\s+is\s+(?:now\s+)?(?:the\s+)?(?:new\s+)?king\s+of\s+(?:the\s+)?room\b.*"
    r"|\s+(?:has\s+)?(?:become|became)\s+(?:the\s+)?(?:new\s+)?king\s+of\s+the\s+room\b.*)"
    r"|(?P<toy>(?:'s\s+tip)?\s+has\s+(?:randomly\s+)?activated\b.*"
    r"|\s+is\s+now\s+(?:vibrating|controlling|in\s+control)\b.*)"
    r")$",
    re.IGNORECASE,
)
# Kinds of event whose name slot proves that someone of that name was in the room.
NAME_PROVING_EVENTS = frozenset({PRESENCE, FOLLOW, SUBJECT, PRIVATE_SHOW, FAN_CLUB, MODERATOR, KING})

# A name at the start of a line: "User name", "Broadcaster name", "name |100|".
LEAD = re.compile(
    rf"(?:(?P<role>user|broadcaster|moderator)\s+)?(?P<name>{NAME})(?P<badge>\s*{BADGE})?", re.IGNORECASE
)
# Someone speaking: "name: text", "name |100|: text", "name|100| text" (the badge ends the name).
# A colon straight after a name must not start "://": a pasted link is not a speaker.
SPEAKER = re.compile(
    rf"(?P<name>{NAME})(?:\s*(?P<badge>{BADGE})\s*(?P<badge_colon>:)?|\s*:(?!//))\s*(?P<text>.*)"
)
# The plainest "name: text" (no badge, no timestamp), read in one step.
PLAIN_SPEAKER = re.compile(rf"({NAME})(?:\s*{BADGE}\s*)?:(?!//)\s*(.*)")
# A tip: "name tipped 50 tokens", with a note after "--", "-", ":" or a space.
TIP = re.compile(
    rf"(?P<name>{NAME})\s*(?:{BADGE}\s*)?(?:has\s+)?tipped\s+{TOKENS}"
    r"\s*(?:(?:--?|[\u2013\u2014:|])\s*(?P<note>.*)|(?P<rest>.*))$",
    re.IGNORECASE,
)
# The rest of a colon-less line once its name is known, when it is a tip.
TIP_AFTER_NAME = re.compile(
    rf"\s*(?:has\s+)?tipped\s+{TOKENS}\s*(?:(?:--?|[\u2013\u2014:|])\s*(?P<note>.*)|(?P<rest>.*))$",
    re.IGNORECASE,
)
# A clock time some copies keep in front of each line: "12:34", "[12:34:56]", "(9:05 PM)".
TIMESTAMP = re.compile(r"[\[(]?(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?)[\])]?\s+")
TIMESTAMP_STARTS = frozenset("0123456789[(")
# The owner's bookmarklet export, one message a line.
BOOKMARKLET = re.compile(
    r"(?:ChatType:\s*\[(?P<channel>[A-Za-z]*)\]\s*\|\s*)?"
    r"Timestamp:\s*\[(?P<time>[^\]]*)\]\s*\|\s*Username:\s*\[(?P<name>[^\]]*)\]\s*\|\s*"
    r"Message:\s*\[(?P<text>.*?)\](?:\s*\|\s*isBroadcaster:\s*\[(?P<broadcaster>[A-Za-z]*)\])?\s*$",
    re.IGNORECASE,
)
# A tip as the bookmarklet writes it in Message: "tipped 50 tokens -- note", maybe with the name.
BOOKMARKLET_TIP = re.compile(
    rf"(?:{NAME}\s+)?(?:has\s+)?(?:tipped\s+)?{TOKENS}\s*(?:(?:--?|[\u2013\u2014:|])\s*(?P<note>.*)|(?P<rest>.*))$",
    re.IGNORECASE,
)
NAME_RUN = re.compile(r"[A-Za-z0-9_]{1,64}")
VALID_NAME = re.compile(r"[a-z0-9_]{1,64}")
# The label in front of a menu the room posts: "[Tip Menu] …", "Tip Menu: …".
MENU_LABEL = re.compile(r"(?:\[[^\]]{1,40}\]|(?:tip\s*)?menu\s*[:\-|>])\s*", re.IGNORECASE)
