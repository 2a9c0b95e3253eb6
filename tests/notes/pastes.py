"""Pastes as they come out of a browser's copy of a room's chat and of tip menus."""

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
