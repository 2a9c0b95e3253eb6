"""The people and profiles API, and the pieces every profile-scoped API in other apps reuses:
`UsernameField` (a validated, lower-cased username) and `PersonFromPathMixin` (the person named by
`<username>` in the path, or 404)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mhc.api_base import StrictBooleanField
from profiles.models import Person, Profile
from profiles.sections import sections
from profiles.selectors import people_search, person_by_username
from profiles.services import person_profile_update, section_preference_set
from profiles.usernames import INVALID_USERNAME_MESSAGE, UsernameConverter, normalize_username


@extend_schema_field(
    {
        "type": "string",
        "pattern": rf"^\s*{UsernameConverter.regex}\s*$",
        "description": "A platform username; surrounding spaces are trimmed and it is stored lower-case.",
    }
)
class UsernameField(serializers.CharField):
    """A platform username: trimmed, lower-cased and validated (400 naming the field if bad)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 80)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return normalize_username(super().to_internal_value(data))
        except DjangoValidationError:
            raise serializers.ValidationError(INVALID_USERNAME_MESSAGE) from None


class PersonFromPathMixin:
    """For views under /api/profile/<username>/...: `self.person` is that person, or 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.person = person_by_username(kwargs["username"])


class SocialLinkSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=64)
    url = serializers.URLField(max_length=500)

    def validate_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Only http and https links are allowed.")
        return value


class ProfileSerializer(serializers.Serializer):
    """A person and their profile, flat. Profile fields are empty until the profile is written."""

    username = serializers.CharField(source="person.username", read_only=True)
    platform = serializers.CharField(source="person.platform", read_only=True)
    role = serializers.ChoiceField(source="person.role", choices=Person.Role.choices, required=False)
    first_seen_at = serializers.DateTimeField(source="person.first_seen_at", read_only=True)
    last_seen_at = serializers.DateTimeField(source="person.last_seen_at", read_only=True)
    url = serializers.CharField(source="person.get_absolute_url", read_only=True)
    display_name = serializers.CharField(max_length=128, required=False, allow_blank=True)
    bio = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    location = serializers.CharField(max_length=128, required=False, allow_blank=True)
    age = serializers.IntegerField(min_value=18, max_value=120, required=False, allow_null=True)
    gender = serializers.CharField(max_length=32, required=False, allow_blank=True)
    smoke_drink = serializers.CharField(max_length=64, required=False, allow_blank=True)
    followers = serializers.IntegerField(
        min_value=0, max_value=2_000_000_000, required=False, allow_null=True
    )
    rank = serializers.IntegerField(min_value=1, max_value=2_000_000_000, required=False, allow_null=True)
    last_broadcast_at = serializers.DateTimeField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=64), max_length=100, required=False)
    social_links = SocialLinkSerializer(many=True, required=False, max_length=50)
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def to_representation(self, person: Person):
        profile = getattr(person, "profile", None) or Profile(person=person)
        return super().to_representation(profile)


class PersonSummarySerializer(serializers.ModelSerializer):
    display_name = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Person
        fields = ["username", "display_name", "role", "last_seen_at", "url"]

    def get_display_name(self, person: Person) -> str:
        profile = getattr(person, "profile", None)
        return profile.display_name if profile else ""


class ProfileDetail(APIView):
    """A person's profile: read it, or change its editable fields (and the person's role)."""

    @extend_schema(responses=ProfileSerializer)
    def get(self, request, username: str):
        return Response(ProfileSerializer(person_by_username(username)).data)

    @extend_schema(
        request=ProfileSerializer,
        responses=ProfileSerializer,
        examples=[OpenApiExample("Set location and tags", value={"location": "Berlin", "tags": ["leather"]})],
    )
    def patch(self, request, username: str):
        person = person_by_username(username)
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        role = changes.pop("person", {}).get("role")
        person_profile_update(person=person, role=role, **changes)
        return Response(ProfileSerializer(person_by_username(username)).data)


@extend_schema(
    parameters=[OpenApiParameter("search", description="Start of a username (or part of a display name).")]
)
class PeopleList(generics.ListAPIView):
    """People by username, for the directory and for autocomplete ("add collaborator")."""

    serializer_class = PersonSummarySerializer

    def get_queryset(self):
        return people_search(text=self.request.query_params.get("search", ""))


class SectionStateSerializer(serializers.Serializer):
    open = StrictBooleanField()


class SectionState(APIView):
    """Remember whether the signed-in user keeps a profile-page section open (on every profile)."""

    viewer_may_write = True  # the viewer's own page layout, not the dossier

    @extend_schema(request=SectionStateSerializer, responses={204: None})
    def put(self, request, key: str):
        if sections.get(key) is None:
            return Response({"detail": f"There is no section {key!r}."}, status=status.HTTP_404_NOT_FOUND)
        serializer = SectionStateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        section_preference_set(user=request.user, section_key=key, is_open=serializer.validated_data["open"])
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("profile/<username:username>", ProfileDetail.as_view(), name="api-profile"),
    path("people", PeopleList.as_view(), name="api-people"),
    path("ui/sections/<slug:key>", SectionState.as_view(), name="api-section-state"),
]
