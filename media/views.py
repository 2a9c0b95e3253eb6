"""Serving media files to the signed-in owner, never from a public address."""

from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from media.selectors import media_by_id, media_file_key
from media.storage import file_open, file_url


@require_GET
def media_file(request: HttpRequest, media_id: str) -> HttpResponse:
    """The file of one media record (login required, like every page).

    Local storage: streamed from the media folder, with the type found in its bytes. S3: a
    redirect to a short-lived pre-signed URL, so the bucket stays private. The storage key
    comes from the database, never from the request, so no path can be smuggled in.
    """
    record = media_by_id(media_id)
    key = media_file_key(record)
    signed = file_url(key)
    if signed is not None:
        response = HttpResponseRedirect(signed)
        # Shorter than the signature lives, so a cached redirect never points at an expired URL.
        response["Cache-Control"] = "private, max-age=60"
        return response
    try:
        handle = file_open(key)
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404("The file of this image is missing.") from None
    response = FileResponse(handle, content_type=record.mime_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=86400"
    response["Content-Disposition"] = f'inline; filename="{record.id}.{key.rsplit(".", 1)[-1]}"'
    return response
