"""The media API: a person's images (list, upload) and one image (read, primary, delete, restore).

GET    /api/profile/<username>/media        ?source=&state=live|deleted
POST   /api/profile/<username>/media        multipart: file, is_primary
GET    /api/media/<id>
PATCH  /api/media/<id>                      {"is_primary": true|false}
DELETE /api/media/<id>                      soft delete (the file goes to quarantine)
POST   /api/media/<id>/primary
POST   /api/media/<id>/restore
"""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from media.filters import MediaFilterSet
from media.models import MediaRecord, MediaSource
from media.selectors import media_by_id
from media.services import (
    MediaRejected,
    media_clear_primary,
    media_create,
    media_restore,
    media_set_primary,
    media_soft_delete,
)
from mhc.api_base import StrictBooleanField
from mhc.exceptions import ValidationError
from mhc.parsers import JSONParser
from profiles.api import PersonFromPathMixin

RECORD_EXAMPLE = {
    "id": "3f2b8c1e-7d4a-4b8e-9a51-2f0c6d7e8a90",
    "username": "alex_lord_",
    "source": "upload",
    "url": "/media/3f2b8c1e-7d4a-4b8e-9a51-2f0c6d7e8a90/",
    "original_filename": "beach.jpg",
    "source_url": "",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "size_bytes": 48213,
    "mime_type": "image/jpeg",
    "width": 800,
    "height": 600,
    "is_primary": True,
    "captured_at": "2025-01-05T18:21:04Z",
    "created_at": "2025-01-05T18:21:04Z",
    "deleted_at": None,
}


class MediaRecordSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="person.username", read_only=True)
    url = serializers.CharField(
        source="get_absolute_url", read_only=True, help_text="The file (login required)."
    )

    class Meta:
        model = MediaRecord
        fields = [
            "id",
            "username",
            "source",
            "url",
            "original_filename",
            "source_url",
            "sha256",
            "size_bytes",
            "mime_type",
            "width",
            "height",
            "is_primary",
            "captured_at",
            "created_at",
            "deleted_at",
        ]
        read_only_fields = fields


class MediaUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, help_text="A JPEG, PNG, GIF or WebP image.")
    is_primary = serializers.BooleanField(default=False, help_text="Make it the primary image.")


class MediaPatchSerializer(serializers.Serializer):
    is_primary = StrictBooleanField()


MEDIA_ID = OpenApiParameter(
    "media_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The image's id."
)


class PersonMediaList(PersonFromPathMixin, generics.ListAPIView):
    """A person's images, primary first then newest; upload a new one."""

    serializer_class = MediaRecordSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_class = MediaFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no person
            return MediaRecord.objects.none()
        return MediaRecord.objects.filter(person=self.person).select_related("person")

    @extend_schema(
        request={"multipart/form-data": MediaUploadSerializer},
        responses={
            201: MediaRecordSerializer,
            200: OpenApiResponse(MediaRecordSerializer, description="The person already had this image."),
            409: OpenApiResponse(description="Another file was just stored at the same key; try again."),
        },
        examples=[OpenApiExample("An uploaded image", value=RECORD_EXAMPLE, response_only=True)],
        description="Upload an image (multipart). It must really be an image (checked from its bytes) "
        "and at most MEDIA_MAX_IMAGE_BYTES. Uploading an image the person already has returns that "
        "record with 200 instead of storing it twice.",
    )
    def post(self, request, username: str):
        serializer = MediaUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            record, created = media_create(
                person=self.person,
                source=MediaSource.UPLOAD,
                content=upload,
                original_filename=upload.name or "",
                is_primary=serializer.validated_data["is_primary"],
            )
        except MediaRejected as error:
            raise ValidationError({"file": error.messages}) from None
        return Response(
            MediaRecordSerializer(record).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema(parameters=[MEDIA_ID])
class MediaDetail(APIView):
    """One image (live or deleted): read it, set or clear its primary flag, or delete it."""

    @extend_schema(
        responses=MediaRecordSerializer, examples=[OpenApiExample("An image", value=RECORD_EXAMPLE)]
    )
    def get(self, request, media_id: str):
        return Response(MediaRecordSerializer(media_by_id(media_id)).data)

    @extend_schema(
        # Spelled out: drf-spectacular would make every field of a PATCH body optional.
        request={
            "application/json": {
                "type": "object",
                "properties": {"is_primary": {"type": "boolean"}},
                "required": ["is_primary"],
            }
        },
        responses={200: MediaRecordSerializer, 409: OpenApiResponse(description="The image is deleted.")},
        examples=[OpenApiExample("Make it the primary image", value={"is_primary": True}, request_only=True)],
    )
    def patch(self, request, media_id: str):
        record = media_by_id(media_id)
        serializer = MediaPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["is_primary"]:
            record = media_set_primary(record=record)
        else:
            record = media_clear_primary(record=record)
        return Response(MediaRecordSerializer(record).data)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Deleted: the file was moved to quarantine."),
            409: OpenApiResponse(description="Already deleted."),
        },
        description="Soft delete: the record is marked deleted and its file is moved to quarantine "
        "(copied, verified, then removed). POST .../restore brings it back.",
    )
    def delete(self, request, media_id: str):
        media_soft_delete(record=media_by_id(media_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[MEDIA_ID])
class MediaPrimary(APIView):
    """Make an image its person's primary one (the others lose the flag)."""

    @extend_schema(
        request=None,
        responses={200: MediaRecordSerializer, 409: OpenApiResponse(description="The image is deleted.")},
    )
    def post(self, request, media_id: str):
        return Response(MediaRecordSerializer(media_set_primary(record=media_by_id(media_id))).data)


@extend_schema(parameters=[MEDIA_ID])
class MediaRestore(APIView):
    """Bring a deleted image back, with its file."""

    @extend_schema(
        request=None,
        responses={
            200: MediaRecordSerializer,
            409: OpenApiResponse(
                description="Not deleted, the same image is live again, or its file is missing."
            ),
        },
    )
    def post(self, request, media_id: str):
        return Response(MediaRecordSerializer(media_restore(record=media_by_id(media_id))).data)


urlpatterns = [
    path("profile/<username:username>/media", PersonMediaList.as_view(), name="api-person-media"),
    path("media/<str:media_id>", MediaDetail.as_view(), name="api-media"),
    path("media/<str:media_id>/primary", MediaPrimary.as_view(), name="api-media-primary"),
    path("media/<str:media_id>/restore", MediaRestore.as_view(), name="api-media-restore"),
]
