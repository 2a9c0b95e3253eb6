"""The people and profiles API, and the pieces every profile-scoped API in other apps reuses:
`UsernameField` (a validated, lower-cased username) and `PersonFromPathMixin` (the person named by
`<username>` in the path, or 404)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from events.fields import WhyField
from mhc.api_base import StrictBooleanField
from profiles.filters import PersonApiFilterSet, person_filterset
from profiles.models import AlternateAccount, Person, PersonMerge, Profile
from profiles.sections import sections
from profiles.selectors import alternates_of, people_listed, person_by_username
from profiles.services import (
    alternate_link,
    alternate_unlink,
    person_create,
    person_merge,
    person_merge_preview,
    person_merge_undo,
    person_profile_update,
    person_rename,
    section_preference_set,
)
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


BULK_MAX_PEOPLE = 500


class BulkUsernamesField(serializers.ListField):
    """The people a bulk edit acts on, by username: one to BULK_MAX_PEOPLE of them."""

    def __init__(self, **kwargs):
        super().__init__(child=UsernameField(), min_length=1, max_length=BULK_MAX_PEOPLE, **kwargs)


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
    why = WhyField()
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    former_usernames = serializers.SerializerMethodField(help_text="Names the person went by before.")

    def get_former_usernames(self, profile: Profile) -> list[str]:
        return [
            former.username for former in profile.person.former_usernames.order_by("-used_until", "username")
        ]

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
        person_profile_update(person=person, role=role, why=changes.pop("why", ""), **changes)
        return Response(ProfileSerializer(person_by_username(username)).data)


class PersonCreateSerializer(ProfileSerializer):
    """A person added by hand: a username and a role, and any profile fields."""

    username = UsernameField()
    role = serializers.ChoiceField(choices=Person.Role.choices, default=Person.Role.UNKNOWN)


@extend_schema_view(
    post=extend_schema(
        request=PersonCreateSerializer,
        responses={
            201: ProfileSerializer,
            409: OpenApiResponse(description="Someone with this username is already in the app."),
        },
        examples=[
            OpenApiExample(
                "A model met elsewhere",
                value={
                    "username": "leather_rex",
                    "role": "model",
                    "display_name": "Rex",
                    "location": "Berlin",
                },
                request_only=True,
            )
        ],
    ),
)
class PeopleList(generics.ListCreateAPIView):
    """People by username, for the directory and for autocomplete ("add collaborator"); POST adds
    someone by hand."""

    serializer_class = PersonSummarySerializer

    @property
    def filterset_class(self):
        return person_filterset(PersonApiFilterSet)

    def get_queryset(self):
        return people_listed()

    def create(self, request, *args, **kwargs):
        serializer = PersonCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        person = person_create(
            username=fields.pop("username"), role=fields.pop("role"), why=fields.pop("why", ""), **fields
        )
        body = ProfileSerializer(person_by_username(person.username)).data
        return Response(body, status=status.HTTP_201_CREATED)


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


class RenameSerializer(serializers.Serializer):
    new_username = UsernameField()
    take_former = serializers.BooleanField(
        default=False, help_text="Take the name even if it is someone else's former username."
    )
    why = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProfileRename(PersonFromPathMixin, APIView):
    """Rename a person: the old name becomes a former username (old links keep working)."""

    @extend_schema(
        request=RenameSerializer,
        responses={
            200: OpenApiResponse(ProfileSerializer, description="Renamed: the person under the new name."),
            409: OpenApiResponse(
                description="Someone else is called that now, or had it as a former name "
                "(send take_former to take it)."
            ),
        },
        examples=[OpenApiExample("Rename", value={"new_username": "alex_lord_new"}, request_only=True)],
    )
    def post(self, request, username: str):
        serializer = RenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = person_rename(
            person=self.person,
            new_username=data["new_username"],
            take_former=data["take_former"],
            why=data.get("why", ""),
        )
        return Response(ProfileSerializer(person_by_username(person.username)).data)


class AlternateSerializer(serializers.Serializer):
    """Another account of the same human."""

    username = serializers.CharField(source="person.username", read_only=True)
    display_name = serializers.SerializerMethodField()
    notes = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    url = serializers.CharField(source="person.get_absolute_url", read_only=True)

    def get_display_name(self, entry: dict) -> str:
        profile = getattr(entry["person"], "profile", None)
        return profile.display_name if profile else ""


class AlternateLinkSerializer(serializers.Serializer):
    username = UsernameField(help_text="The other account (someone already seen).")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AlternateList(PersonFromPathMixin, generics.GenericAPIView):
    """A person's alternate accounts (other accounts of the same human), and linking one."""

    serializer_class = AlternateSerializer
    queryset = AlternateAccount.objects.none()  # what the schema generator sees; requests use alternates_of

    @extend_schema(responses=AlternateSerializer(many=True))
    def get(self, request, username: str):
        page = self.paginate_queryset(alternates_of(self.person))
        return self.get_paginated_response(AlternateSerializer(page, many=True).data)

    @extend_schema(
        request=AlternateLinkSerializer,
        responses={
            201: OpenApiResponse(AlternateSerializer, description="Linked."),
            409: OpenApiResponse(description="Already linked."),
        },
    )
    def post(self, request, username: str):
        serializer = AlternateLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        other = _known_person(serializer.validated_data["username"], "username")
        link = alternate_link(
            person=self.person, other=other, notes=serializer.validated_data.get("notes", "")
        )
        entry = {"person": other, "notes": link.notes, "created_at": link.created_at}
        return Response(AlternateSerializer(entry).data, status=status.HTTP_201_CREATED)


class AlternateDetail(PersonFromPathMixin, APIView):
    """One of a person's alternate accounts."""

    @extend_schema(responses={204: None, 404: OpenApiResponse(description="They are not linked.")})
    def delete(self, request, username: str, other: str):
        alternate_unlink(person=self.person, other=person_by_username(other))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _known_person(username: str, field: str) -> Person:
    try:
        return person_by_username(username)
    except Http404:
        raise serializers.ValidationError({field: f"Nobody called {username} has been seen."}) from None


class MergeRequestSerializer(serializers.Serializer):
    keep = UsernameField(help_text="The person who stays.")
    merge = UsernameField(help_text="The person merged into `keep` (their username becomes a former one).")
    preview = serializers.BooleanField(default=False, help_text="Only say what the merge would do.")
    why = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MergeKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    moved = serializers.IntegerField()
    dropped = serializers.IntegerField()


class MergeConflictSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField()
    choice = serializers.CharField(help_text="What the merge does about it.")


class MergePlanSerializer(serializers.Serializer):
    keep = serializers.CharField()
    merge = serializers.CharField()
    kinds = MergeKindSerializer(many=True)
    conflicts = MergeConflictSerializer(many=True)
    former_username = serializers.CharField()


class MergeSerializer(serializers.Serializer):
    """A merge as the history shows it."""

    id = serializers.IntegerField(read_only=True, allow_null=True)
    preview = serializers.BooleanField()
    plan = MergePlanSerializer()
    merged_at = serializers.DateTimeField(allow_null=True)
    undone_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="The kept person's profile page.")


def _merge_body(record: PersonMerge) -> dict:
    return {
        "id": record.pk,
        "preview": False,
        "plan": record.plan,
        "merged_at": record.merged_at,
        "undone_at": record.undone_at,
        "url": Person(username=record.kept_username).get_absolute_url(),
    }


class PeopleMerge(APIView):
    """Merge one person into another, or preview what that would do."""

    @extend_schema(
        request=MergeRequestSerializer,
        responses={
            200: OpenApiResponse(MergeSerializer, description="The preview: what the merge would do."),
            201: OpenApiResponse(MergeSerializer, description="Merged."),
        },
        examples=[
            OpenApiExample("Preview", value={"keep": "alex_lord_", "merge": "alex_lord_alt", "preview": True})
        ],
    )
    def post(self, request):
        serializer = MergeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        keep, merge = _known_person(data["keep"], "keep"), _known_person(data["merge"], "merge")
        if data["preview"]:
            plan = person_merge_preview(keep=keep, merge=merge)
            body = {
                "id": None,
                "preview": True,
                "plan": plan,
                "merged_at": None,
                "undone_at": None,
                "url": keep.get_absolute_url(),
            }
            return Response(MergeSerializer(body).data)
        record = person_merge(keep=keep, merge=merge, why=data.get("why", ""))
        return Response(MergeSerializer(_merge_body(record)).data, status=status.HTTP_201_CREATED)


class MergeUndo(APIView):
    """Undo a merge: both people as they were before it."""

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(MergeSerializer, description="Undone."),
            409: OpenApiResponse(description="Something changed since the merge (the answer says what)."),
        },
    )
    def post(self, request, merge_id: int):
        record = get_object_or_404(PersonMerge.objects.defer("before", "after"), pk=merge_id)
        record = person_merge_undo(merge=record)
        return Response(MergeSerializer(_merge_body(record)).data)


urlpatterns = [
    path("profile/<username:username>", ProfileDetail.as_view(), name="api-profile"),
    path("profile/<username:username>/rename", ProfileRename.as_view(), name="api-profile-rename"),
    path("profile/<username:username>/alternates", AlternateList.as_view(), name="api-alternates"),
    path(
        "profile/<username:username>/alternates/<username:other>",
        AlternateDetail.as_view(),
        name="api-alternate",
    ),
    path("people", PeopleList.as_view(), name="api-people"),
    path("people/merge", PeopleMerge.as_view(), name="api-people-merge"),
    path("merges/<int:merge_id>/undo", MergeUndo.as_view(), name="api-merge-undo"),
    path("ui/sections/<slug:key>", SectionState.as_view(), name="api-section-state"),
]
