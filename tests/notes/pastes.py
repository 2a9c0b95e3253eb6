"""Pastes as they come out of a browser's copy of a room's chat and of tip menus."""
# ruff: noqa: E501 (pastes are kept line for line as the platform and the bookmarklet write them)

ROOM_CHAT = """\
Notice: Welcome to alex_lord_'s room! Please follow the rules. Type /tipmenu to see the tip menu.
Room subject changed to: Leather & oil show at goal 💦 #leather #muscle [1200 tokens left]
Room Rules: be respectful, no demands, no spam
carlos_88 has joined the room.
sub_sam has joined the room.
alex_lord_: hey guys, welcome in 😈
sub_sam |100|: hi sir
carlos_88hola guapo!! 🔥
[Tip Menu] Flash 50 | Boots worship 99 | Oil show 250
kinky_kai |25|: that harness tho
sub_sam tipped 50 tokens
alex_lord_: thanks sam, good boy

bricktiger has joined the room.
Notice: bricktiger is a new follower
bricktiger: ready for the oil?
kinky_kai tipped 99 tokens -- boots please 👢
alex_lord_boots for kai, coming up
tipmenubot: Tip 250 for the oil show!
quiet_tom has joined the room.
quiet_tom has left the room.
sub_sam tipped 250 tokens: OIL!!
*** GOAL REACHED ***
Lovense: sub_sam's tip made the toy vibrate for 10 seconds
alex_lord_: OIL SHOW unlocked 🛢️ thank you sam
kinky_kai: 😍😍😍
bricktiger |50|: legend
carlos_88 has left the room.
"""

# What ROOM_CHAT says, as (username, text, kind, tokens).
ROOM_CHAT_MESSAGES = [
    ("alex_lord_", "hey guys, welcome in 😈", "chat", None),
    ("sub_sam", "hi sir", "chat", None),
    ("carlos_88", "hola guapo!! 🔥", "chat", None),
    ("kinky_kai", "that harness tho", "chat", None),
    ("sub_sam", "", "tip", 50),
    ("alex_lord_", "thanks sam, good boy", "chat", None),
    ("bricktiger", "ready for the oil?", "chat", None),
    ("kinky_kai", "boots please 👢", "tip", 99),
    ("alex_lord_", "boots for kai, coming up", "chat", None),
    ("sub_sam", "OIL!!", "tip", 250),
    ("alex_lord_", "OIL SHOW unlocked 🛢️ thank you sam", "chat", None),
    ("kinky_kai", "😍😍😍", "chat", None),
    ("bricktiger", "legend", "chat", None),
]
# 2 notices, subject, rules, 4 joins, 2 leaves, [Tip Menu], tipmenubot, *** banner, Lovense.
ROOM_CHAT_DROPPED = 14

TIP_MENU = """\
💋💋 ALEX'S TIP MENU 💋💋

Flash - 50 tokens
Boots worship: 99
Spank (35)
❤️ Kiss the screen ❤️ ➜ 15 tks
100 - Flex & pose
   Oil   show .......   250 TK
Feet pics [40 tokens]
PVT 60 tk/min
Private show - 1,000 tokens
~~~ thank you for the love ~~~
"""

TIP_MENU_ITEMS = [
    ("Flash", 50),
    ("Boots worship", 99),
    ("Spank", 35),
    ("Kiss the screen", 15),
    ("Flex & pose", 100),
    ("Oil show", 250),
    ("Feet pics", 40),
    ("PVT (per minute)", 60),
    ("Private show", 1000),
]

XSS_SCRIPT = "<script>window.__xss = 'script'</script>"
XSS_IMG = "<img src=x onerror=\"window.__xss = 'img'\">"
XSS_LINK = "<a href=\"javascript:window.__xss='link'\">click me</a>"

# --- A room copied as the platform really shows it: every kind of line ---------------------------
# (line, what it is): "chat"/"tip" lines are messages; any other value is the kind it is dropped as.
ROOM_LINES = [
    ("Notice: Welcome to leather_rex's room! Tip menu below, be nice.", "notice"),
    ("Broadcaster leather_rex is running these apps: Tip Menu, Rotating Notifier, Lovense", "apps"),
    ("Broadcaster Rules: no begging, no spam, respect everyone", "rules"),
    ("Rules: no links", "rules"),
    ("Room Rules: be kind", "rules"),
    ("*** Warning *** Never share passwords or personal information", "warning"),
    ("CautionThe Chaturbate Team will never ask for your password", "warning"),
    ("[system] Chat was cleared by a moderator", "system"),
    ("[notice] Private shows are enabled", "system"),
    ("To go to next room, press CTRL+/. To send a tip, press CTRL+S or type /tip 25", "hint"),
    ("To send a tip, press CTRL+S", "hint"),
    ("To disable emoticons, type /noemoticons", "hint"),
    ("leather_rex has changed the room subject to: oil show at goal #leather", "subject"),
    ("roomsubject changed to: boots night", "subject"),
    ("User dan_99 has joined the room.", "presence"),
    ("User dan_99 has left the room.", "presence"),
    ("alexandria_x has joined the room.", "presence"),
    ("quiet_tom has entered the room", "presence"),
    ("Broadcaster leather_rex has joined the room", "presence"),
    ("Notice: Tip Menu", "notice"),
    ("Notice: ⭐ Boots worship (99)", "tip_menu"),
    ("Notice: ⭐ Spank (35)", "tip_menu"),
    ("Notice: ⭐ Oil show (250)", "tip_menu"),
    ("alex: hi rex", "chat"),
    ("alexandria_xHi everyone!", "chat"),
    ("dan_99lol what did I miss", "chat"),
    ("sub_sam|100| silence please, he is talking", "chat"),
    ("sub_sam tipped 50 tokens -- boots please", "tip"),
    ("kinky_kai tipped 25 tks: spank!", "tip"),
    ("kinky_kai tipped 10 tk", "tip"),
    ("leather_rex: thanks boys", "chat"),
    ("leather_rex has started a private show", "private_show"),
    ("Privateshow has ended", "private_show"),
    ("Lush is now vibrating at medium for 10 seconds", "toy"),
    ("kinky_kai has RANDOMLY activated Lush for 5 seconds", "toy"),
    ("Domi: vibrating at high for 3 seconds", "toy"),
    ("vibrating at low for 2 seconds", "toy"),
    ("sub_sam is now a Fan Club member", "fan_club"),
    ("kinky_kai has been promoted to moderator", "moderator"),
    ("creep_01 has been silenced by kinky_kai", "moderator"),
    ("sub_sam is the new King of the Room!", "king"),
    ("----------------------------------------", "separator"),
    ("alex: has left the room lol", "chat"),
    ("kinky_kai: the room is now hot, subscribed!", "chat"),
]
ROOM = "\n".join(line for line, _ in ROOM_LINES)

# The owner's bookmarklet export: timestamps, the broadcaster flag, tips inside Message.
BOOKMARKLET_EXPORT = """\
ChatType: [PUBLIC] | Timestamp: [21:42:31] | Username: [leather_rex] | Message: [welcome in boys] | isBroadcaster: [true]
ChatType: [PUBLIC] | Timestamp: [21:42:40] | Username: [sub_sam] | Message: [hi sir [waves]] | isBroadcaster: [false]
ChatType: [TIPS] | Timestamp: [21:43:02] | Username: [sub_sam] | Message: [tipped 50 tokens -- boots please] | isBroadcaster: [false]
Timestamp: [21:43:05] | Username: [kinky_kai] | Message: [kinky_kai tipped 25 tokens] | isBroadcaster: [false]
ChatType: [PM] | Timestamp: [21:44:10] | Username: [kinky_kai] | Message: [private hello] | isBroadcaster: [false]
Timestamp: [21:44:30] | Username: [] | Message: [Notice: Welcome to the room] | isBroadcaster: [false]
ChatType: [PUBLIC] | Timestamp: [21:45:00] | Username: [leather_rex] | Message: [thanks sam 😈] | isBroadcaster: [true]
"""
# (time, username, text, kind, tokens, is_broadcaster)
BOOKMARKLET_MESSAGES = [
    ("21:42:31", "leather_rex", "welcome in boys", "chat", None, True),
    ("21:42:40", "sub_sam", "hi sir [waves]", "chat", None, False),
    ("21:43:02", "sub_sam", "boots please", "tip", 50, False),
    ("21:43:05", "kinky_kai", "", "tip", 25, False),
    ("21:44:10", "kinky_kai", "private hello", "chat", None, False),
    ("21:45:00", "leather_rex", "thanks sam 😈", "chat", None, True),
]

# A chat in which the room posted its tip menu as notices.
CHAT_WITH_MENU = """\
leather_rex: welcome boys
Notice: ---- Tip Menu ----
Notice: ⭐ Flash (50)
Notice: ⭐ Boots worship (99)
Notice: ⭐ Spank | 35
Notice: ⭐ Oil show (250)
sub_sam: oil please!!
sub_sam tipped 250 tokens -- oil
"""
CHAT_MENU_ITEMS = [("Flash", 50), ("Boots worship", 99), ("Spank", 35), ("Oil show", 250)]

# Two menus of one broadcaster, a week apart.
MENU_BEFORE = """\
TIP MENU
Flash - 50 tokens
Spank (35)
Boots worship: 99
Oil show = 250
"""
MENU_AFTER = """\
TIP MENU ✨ new!
Flash - 60 tokens
Spank (35)
Oil show = 300
Cam2cam 60 tk/min
"""
