"""The notes API: a profile's notes, its latest tip menu, and the paste preview."""

from django.urls import path
from drf_spectacular.utils import (
    OpenApiExample,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from events.fields import WHY_PARAMETER, WhyField, why_of
from notes.filters import NoteFilterSet
from notes.formatting import chat_log_html, tip_menu_html
from notes.models import CATEGORY_HELP, LINK_MESSAGE, Note
from notes.parsers import DROP_LABELS, MenuChanges, TipMenu, parse_chat_log, parse_tip_menu
from notes.selectors import TipMenuWithChanges, note_of, notes_for, tip_menu_with_changes, usernames_known
from notes.services import note_create, note_delete, note_update, validate_content_size
from profiles.api import PersonFromPathMixin, UsernameField

PARSED_CATEGORIES = [Note.Category.PUBLIC_CHAT, Note.Category.TIP_MENU]


class TipMenuItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    tokens = serializers.IntegerField()


def _items(menu: TipMenu) -> list[dict]:
    return [{"item": item.item, "tokens": item.tokens} for item in menu.items]


class NoteSerializer(serializers.ModelSerializer):
    """A note. `formatted_content` is built by the server (chat logs and tip menus) and `items` is
    a tip menu's parsed items (null for other categories); neither is accepted from a client."""

    category = serializers.ChoiceField(
        choices=Note.Category.choices, default=Note.Category.NOTE, help_text=CATEGORY_HELP
    )
    content = serializers.CharField(trim_whitespace=False, help_text="At most 1 MB.")
    source_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, error_messages={"invalid": LINK_MESSAGE}
    )
    created_at = serializers.DateTimeField(required=False, help_text="Defaults to now; set it to back-date.")
    items = serializers.SerializerMethodField()
    why = WhyField()

    class Meta:
        model = Note
        fields = [
            "id",
            "category",
            "content",
            "formatted_content",
            "source_url",
            "created_at",
            "updated_at",
            "items",
            "why",
        ]
        read_only_fields = ["id", "formatted_content", "updated_at"]

    @extend_schema_field(TipMenuItemSerializer(many=True, allow_null=True))
    def get_items(self, note: Note) -> list[dict] | None:
        return _items(parse_tip_menu(note.content)) if note.category == Note.Category.TIP_MENU else None


NOTE_EXAMPLES = [
    OpenApiExample("A note", value={"content": "Sweet guy, remembers my name.", "category": "note"}),
    OpenApiExample(
        "A pasted chat log",
        value={
            "category": "public_chat",
            "content": "alice |100|: hi alex\nbob has joined the room\nbob tipped 50 tokens -- oil!",
            "source_url": "https://chaturbate.com/alex_lord_/",
            "created_at": "2025-03-01T21:30:00Z",
        },
    ),
    OpenApiExample(
        "A tip menu", value={"category": "tip_menu", "content": "TIP MENU\nFlash - 50 tokens\n100 - Oil show"}
    ),
]


@extend_schema_view(post=extend_schema(examples=NOTE_EXAMPLES))
class NoteList(PersonFromPathMixin, generics.ListCreateAPIView):
    """A profile's notes, newest first; POST adds one (chat logs and tip menus are parsed)."""

    serializer_class = NoteSerializer
    filterset_class = NoteFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, without a request
            return Note.objects.none()
        return notes_for(getattr(self.person, "profile", None))

    def perform_create(self, serializer):
        serializer.instance = note_create(person=self.person, **serializer.validated_data)


@extend_schema_view(
    patch=extend_schema(
        examples=[
            OpenApiExample(
                "Re-categorise and back-date", value={"category": "pm", "created_at": "2024-12-24T20:00:00Z"}
            )
        ]
    )
)
@extend_schema_view(delete=extend_schema(parameters=[WHY_PARAMETER]))
class NoteDetail(PersonFromPathMixin, generics.RetrieveUpdateDestroyAPIView):
    """One note: read it, change it (re-formatted when its content or category changes), delete it."""

    serializer_class = NoteSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> Note:
        return note_of(self.person, self.kwargs["note_id"])

    def perform_update(self, serializer):
        serializer.instance = note_update(note=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance: Note):
        note_delete(note=instance, why=why_of(self.request))


class PriceChangeSerializer(serializers.Serializer):
    item = serializers.CharField()
    old = serializers.IntegerField(help_text="Tokens in the previous menu.")
    new = serializers.IntegerField(help_text="Tokens in this menu.")


class PreviousMenuSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class MenuChangesSerializer(serializers.Serializer):
    previous = PreviousMenuSerializer(
        allow_null=True, help_text="The tip menu compared with: the one pasted before, or null when none."
    )
    added = TipMenuItemSerializer(many=True, help_text="Items not in the previous menu.")
    removed = TipMenuItemSerializer(many=True, help_text="Items of the previous menu no longer listed.")
    changed = PriceChangeSerializer(many=True, help_text="Items whose price changed (old → new).")


class LatestTipMenuSerializer(NoteSerializer):
    changes = serializers.SerializerMethodField()

    class Meta(NoteSerializer.Meta):
        fields = [*NoteSerializer.Meta.fields, "changes"]

    @extend_schema_field(MenuChangesSerializer)
    def get_changes(self, note: Note) -> dict:
        return changes_data(self.context["previous"], self.context["changes"])


def changes_data(previous: Note | None, changes: MenuChanges) -> dict:
    return {
        "previous": {"id": previous.id, "created_at": previous.created_at} if previous else None,
        "added": [{"item": item.item, "tokens": item.tokens} for item in changes.added],
        "removed": [{"item": item.item, "tokens": item.tokens} for item in changes.removed],
        "changed": [{"item": c.item, "old": c.old, "new": c.new} for c in changes.changed],
    }


class LatestTipMenu(PersonFromPathMixin, APIView):
    """The profile's latest tip menu with its items and what changed since the tip menu pasted
    before it (items added, removed, re-priced), or 404 when it has none."""

    @extend_schema(responses=LatestTipMenuSerializer)
    def get(self, request, username: str):
        found: TipMenuWithChanges | None = tip_menu_with_changes(getattr(self.person, "profile", None))
        if found is None:
            return Response(
                {"detail": f"{self.person.username} has no tip menu."}, status=status.HTTP_404_NOT_FOUND
            )
        context = {"previous": found.previous, "changes": found.changes}
        return Response(LatestTipMenuSerializer(found.menu, context=context).data)


class PreviewRequestSerializer(serializers.Serializer):
    category = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in PARSED_CATEGORIES],
        help_text="public_chat or tip_menu: the categories the server parses.",
    )
    content = serializers.CharField(trim_whitespace=False, allow_blank=True, help_text="At most 1 MB.")
    broadcaster = UsernameField(required=False, help_text="Whose room the chat was copied from.")


class ChatMessageSerializer(serializers.Serializer):
    username = serializers.CharField(help_text='"" when the speaker could not be told apart from the text.')
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=["chat", "tip"])
    tokens = serializers.IntegerField(allow_null=True)
    color = serializers.CharField(help_text="The user's colour, the same in every log.")
    broadcaster = serializers.BooleanField()
    time = serializers.CharField(help_text='The clock time the paste kept for the line, or "".')


class DroppedLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Its number in the paste, from 1.")
    kind = serializers.ChoiceField(choices=sorted(DROP_LABELS), help_text="Why it is not a message.")
    label = serializers.CharField(help_text="The kind in words.")
    text = serializers.CharField()


class ChatTipMenuSerializer(serializers.Serializer):
    items = TipMenuItemSerializer(many=True)
    content = serializers.CharField(help_text="The menu's lines: the content of a Tip Menu note.")


class TipSerializer(serializers.Serializer):
    username = serializers.CharField()
    tokens = serializers.IntegerField()


class ChatPreviewSerializer(serializers.Serializer):
    category = serializers.CharField()
    messages = ChatMessageSerializer(many=True)
    users = serializers.DictField(child=serializers.CharField(), help_text="username → colour")
    tips = TipSerializer(many=True)
    dropped = serializers.IntegerField(help_text="How many lines are not messages: joins, notices, apps, ….")
    dropped_lines = DroppedLineSerializer(many=True)
    people = serializers.ListField(
        child=serializers.CharField(), help_text="The users who are people in the database (linked)."
    )
    tip_menu = ChatTipMenuSerializer(
        allow_null=True, help_text="A tip menu the room posted in the chat (two items or more), or null."
    )
    formatted_content = serializers.CharField(help_text="The HTML the note would be stored with.")


class TipMenuPreviewSerializer(serializers.Serializer):
    category = serializers.CharField()
    items = TipMenuItemSerializer(many=True)
    formatted_content = serializers.CharField(help_text="The HTML the note would be stored with.")


def chat_preview(content: str, broadcaster: str | None) -> dict:
    log = parse_chat_log(content, broadcaster=broadcaster, known_people=usernames_known)
    return {
        "category": Note.Category.PUBLIC_CHAT,
        "messages": [
            {
                "username": m.username,
                "text": m.text,
                "kind": m.kind,
                "tokens": m.tokens,
                "color": log.users.get(m.username, ""),  # worked out once per user by the parser
                "broadcaster": m.is_broadcaster,
                "time": m.time,
            }
            for m in log.messages
        ],
        "users": log.users,
        "tips": [{"username": tip.username, "tokens": tip.tokens} for tip in log.tips],
        "dropped": log.dropped,
        "dropped_lines": [
            {"line": d.number, "kind": d.kind, "label": d.label, "text": d.text} for d in log.dropped_lines
        ],
        "people": sorted(log.people),
        "tip_menu": {"items": _items(log.menu), "content": log.menu_text} if log.menu.items else None,
        "formatted_content": chat_log_html(log),
    }


def tip_menu_preview(content: str) -> dict:
    menu = parse_tip_menu(content)
    return {
        "category": Note.Category.TIP_MENU,
        "items": _items(menu),
        "formatted_content": tip_menu_html(menu),
    }


class NotePreview(APIView):
    """Parse a pasted chat log or tip menu without saving it (the paste boxes' live preview)."""

    @extend_schema(
        request=PreviewRequestSerializer,
        responses=PolymorphicProxySerializer(
            component_name="NotePreviewResult",
            serializers=[ChatPreviewSerializer, TipMenuPreviewSerializer],
            resource_type_field_name=None,
        ),
        examples=[
            OpenApiExample(
                "Chat log",
                value={
                    "category": "public_chat",
                    "broadcaster": "alex_lord_",
                    "content": "alex_lord_: welcome!\nalice |100|: hi\nalice tipped 25 tokens -- kiss",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Tip menu",
                value={"category": "tip_menu", "content": "Flash - 50 tokens\nKiss (15)"},
                request_only=True,
            ),
        ],
    )
    def post(self, request):
        serializer = PreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        validate_content_size(data["content"])
        if data["category"] == Note.Category.PUBLIC_CHAT:
            return Response(chat_preview(data["content"], data.get("broadcaster")))
        return Response(tip_menu_preview(data["content"]))


urlpatterns = [
    path("profile/<username:username>/notes", NoteList.as_view(), name="api-notes"),
    path("profile/<username:username>/notes/tip-menu", LatestTipMenu.as_view(), name="api-notes-tip-menu"),
    path("profile/<username:username>/notes/<int:note_id>", NoteDetail.as_view(), name="api-note"),
    path("notes/preview", NotePreview.as_view(), name="api-notes-preview"),
]
