"""`GET /healthz`: whether this server can do its work, for a reverse proxy or a monitor to probe.

No login and no data: the answer names each dependency with "ok" or "unavailable" (the reason
goes to the log, never to the caller), with 200 when all are reachable and 503 otherwise. It is
exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT) so a proxy can probe over plain HTTP.
"""

import logging
import os
from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A key that is never written: asking whether it exists proves the storage answers.
PROBE_KEY = "healthz-probe"


def database_reachable() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def storage_reachable() -> bool:
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        # A local folder is reachable when files can be written there (it is made on first use).
        folder = Path(storage.location)
        existing = next(path for path in (folder, *folder.parents) if path.exists())
        return existing.is_dir() and os.access(existing, os.W_OK)
    if bucket := getattr(storage, "bucket_name", None):
        # S3: the bucket answers to these credentials (a missing object would read as "absent").
        storage.connection.meta.client.head_bucket(Bucket=bucket)
        return True
    storage.exists(PROBE_KEY)  # any other storage: raises when it cannot be reached
    return True


CHECKS = {"database": database_reachable, "storage": storage_reachable}


def _state(name: str, check) -> str:
    try:
        return "ok" if check() else "unavailable"
    except Exception:
        logger.warning("Health check: %s is unavailable", name, exc_info=True)
        return "unavailable"


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    states = {name: _state(name, check) for name, check in CHECKS.items()}
    healthy = all(state == "ok" for state in states.values())
    body = {"status": "ok" if healthy else "unavailable", **states}
    return JsonResponse(body, status=200 if healthy else 503)
