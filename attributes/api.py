"""The attributes API: definitions (`/api/attributes/definitions[/<key>]`) and a person's values
and history (`/api/profile/<username>/attributes[/history]`)."""

from django.urls import path
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from attributes.filters import AttributeHistoryFilterSet
from attributes.models import (
    SORT_ORDER_MAX,
    SORT_ORDER_MIN,
    AttributeDefinition,
    AttributeHistory,
    validate_key,
)
from attributes.selectors import attributes_of, definition, definitions, history_of
from attributes.services import (
    attribute_set_for_people,
    attributes_set,
    definition_create,
    definition_delete,
    definition_update,
)
from events.fields import WHY_HELP, WhyField, why_of
from mhc.api_base import StrictBooleanField
from mhc.colors import TONE_CHOICES
from profiles.api import BulkUsernamesField, PersonFromPathMixin
from profiles.selectors import people_by_usernames


class DefinitionSerializer(serializers.Serializer):
    """An attribute definition. `key` is given on creation and never changes."""

    key = serializers.CharField(max_length=50, validators=[validate_key])
    label = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    color = serializers.ChoiceField(choices=TONE_CHOICES, required=False)
    icon = serializers.CharField(required=False, allow_blank=True, max_length=50)
    show_as_badge = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(required=False, min_value=SORT_ORDER_MIN, max_value=SORT_ORDER_MAX)
    is_system = serializers.BooleanField(read_only=True)
    is_auto_derived = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def validate_key(self, key: str) -> str:
        if self.instance is not None and key != self.instance.key:
            raise serializers.ValidationError("The key of an attribute cannot be changed.")
        return key


class DefinitionChangeSerializer(DefinitionSerializer):
    """A change to a definition: every field but `key`, which never changes (a body naming
    another key is refused; naming the same one is allowed)."""

    key = serializers.CharField(read_only=True)

    def validate(self, attrs):
        given = self.initial_data.get("key") if isinstance(self.initial_data, dict) else None
        if given is not None and given != self.instance.key:
            raise serializers.ValidationError({"key": "The key of an attribute cannot be changed."})
        return attrs


class PersonAttributeSerializer(serializers.Serializer):
    """One attribute with this person's value (false and no `set_at` when never set)."""

    key = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    color = serializers.CharField()
    icon = serializers.CharField()
    show_as_badge = serializers.BooleanField()
    is_auto_derived = serializers.BooleanField()
    is_system = serializers.BooleanField()
    value = serializers.BooleanField()
    set_at = serializers.DateTimeField(allow_null=True)


class HistorySerializer(serializers.Serializer):
    """One change of one attribute; `label` is null once the definition is deleted, `changed_by`
    is null when the app made the change."""

    attribute_key = serializers.CharField()
    label = serializers.CharField(allow_null=True)
    old_value = serializers.BooleanField(allow_null=True)
    new_value = serializers.BooleanField()
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField(source="changed_by.username", allow_null=True, default=None)


ATTRIBUTE_VALUES_SCHEMA = {
    "type": "object",
    "properties": {"why": {"type": "string", "maxLength": 1000, "description": WHY_HELP}},
    "additionalProperties": {"type": "boolean"},
    "minProperties": 1,
    "description": (
        "{attribute key: true or false}; unknown and auto-derived keys are refused. "
        'An optional "why" (text) is kept with each change in the history. The schema served at '
        "/api/schema/ lists the keys that can be set now (attributes.schema)."
    ),
}


@extend_schema_view(
    post=extend_schema(
        responses={
            201: DefinitionSerializer,
            409: OpenApiResponse(description="An attribute with this key already exists."),
        },
        examples=[
            OpenApiExample(
                "A teal badge",
                value={
                    "key": "regular_tipper",
                    "label": "Regular tipper",
                    "color": "teal",
                    "show_as_badge": True,
                },
                request_only=True,
            )
        ],
    )
)
class DefinitionList(generics.ListCreateAPIView):
    """Every attribute definition in display order; POST creates a custom one."""

    serializer_class = DefinitionSerializer

    def get_queryset(self):
        return definitions()

    def perform_create(self, serializer):
        serializer.instance = definition_create(**serializer.validated_data)


@extend_schema_view(
    patch=extend_schema(examples=[OpenApiExample("Recolour", value={"color": "pink"}, request_only=True)]),
    delete=extend_schema(
        description="Delete a custom attribute and its values (its history stays). "
        "System attributes are refused with 409.",
        responses={204: None, 409: OpenApiResponse(description="A system attribute cannot be deleted.")},
    ),
)
class DefinitionDetail(generics.RetrieveUpdateDestroyAPIView):
    """One attribute definition: read, change (not its key) or delete it."""

    serializer_class = DefinitionSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> AttributeDefinition:
        return definition(self.kwargs["key"])

    def get_serializer_class(self):
        return DefinitionChangeSerializer if self.request.method == "PATCH" else DefinitionSerializer

    def perform_update(self, serializer):
        serializer.instance = definition_update(definition=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        definition_delete(definition=instance, changed_by=self.request.user)


class PersonAttributes(PersonFromPathMixin, generics.ListAPIView):
    """Every attribute with this person's value; PATCH sets some of them, all or nothing."""

    serializer_class = PersonAttributeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no person
            return AttributeDefinition.objects.none()
        return attributes_of(self.person)

    @extend_schema(
        request={"application/json": ATTRIBUTE_VALUES_SCHEMA},
        responses=PersonAttributeSerializer(many=True),
        examples=[
            OpenApiExample(
                "Watch and clear a ban", value={"watch_list": True, "banned_me": False}, request_only=True
            )
        ],
    )
    def patch(self, request, username: str):
        data = request.data
        why = why_of(request)
        if isinstance(data, dict) and isinstance(data.get("why"), str):
            # No attribute's value is text, so a text "why" is the reason, not an attribute.
            data = {key: value for key, value in data.items() if key != "why"}
            why = WhyField().run_validation(request.data["why"])
        field = serializers.DictField(child=StrictBooleanField(), allow_empty=False)
        values = field.run_validation(data)
        attributes_set(person=self.person, values=values, changed_by=request.user, why=why)
        return self.list(request)


class PersonAttributeHistory(PersonFromPathMixin, generics.ListAPIView):
    """This person's attribute changes, newest first."""

    serializer_class = HistorySerializer
    filterset_class = AttributeHistoryFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no person
            return AttributeHistory.objects.none()
        return history_of(self.person)


urlpatterns = [
    path("attributes/definitions", DefinitionList.as_view(), name="api-attribute-definitions"),
    path("attributes/definitions/<slug:key>", DefinitionDetail.as_view(), name="api-attribute-definition"),
    path("profile/<username:username>/attributes", PersonAttributes.as_view(), name="api-person-attributes"),
    path(
        "profile/<username:username>/attributes/history",
        PersonAttributeHistory.as_view(),
        name="api-person-attribute-history",
    ),
]


class BulkAttributeSerializer(serializers.Serializer):
    usernames = BulkUsernamesField()
    key = serializers.CharField(max_length=50, help_text="The attribute to set or clear.")
    value = serializers.BooleanField(help_text="true sets it, false clears it.")
    why = WhyField()


class BulkAttributeResultSerializer(serializers.Serializer):
    people = serializers.IntegerField(help_text="How many people were given.")
    changed = serializers.IntegerField(
        help_text="How many of them it changed (each with its own history row)."
    )


class BulkAttributes(APIView):
    """Set or clear one attribute on many people at once (the directory's bulk edit), all or nothing."""

    @extend_schema(
        request=BulkAttributeSerializer,
        responses={
            200: BulkAttributeResultSerializer,
            404: OpenApiResponse(description="A username names nobody who has been seen."),
        },
        examples=[
            OpenApiExample(
                "Watch three people",
                value={"usernames": ["leather_rex", "hot_guy_2000"], "key": "watch_list", "value": True},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = BulkAttributeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        people = people_by_usernames(data["usernames"])
        changed = attribute_set_for_people(
            people=people, key=data["key"], value=data["value"], changed_by=request.user, why=data["why"]
        )
        return Response(BulkAttributeResultSerializer({"people": len(people), "changed": changed}).data)


urlpatterns.append(path("attributes/bulk", BulkAttributes.as_view(), name="api-attributes-bulk"))
