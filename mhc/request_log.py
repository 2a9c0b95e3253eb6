"""One log line per request, and a request id on every log line written while serving it.

The id is the caller's `X-Request-ID` when it looks like one (a reverse proxy or a script may set
it to follow a request through several logs), otherwise a new one; it is sent back in the
response's `X-Request-ID` and tagged on any error reported to Sentry.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

import sentry_sdk
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("mhc.request")

HEADER = "X-Request-ID"
# Only ids that cannot forge a log line or a field are taken over from the caller.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served in this thread or task, "-" outside a request."""
    return _request_id.get()


def request_id_of(request: HttpRequest) -> str:
    offered = request.headers.get(HEADER, "")
    return offered if ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so formatters can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class RequestLogMiddleware:
    """First in the chain: sets the request id, then logs method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        token = _request_id.set(request_id)
        request.request_id = request_id
        sentry_sdk.set_tag("request_id", request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            self._log(request, response.status_code, started)
            return response
        except Exception:
            # Django turns view errors into a 500 response before they reach here; anything that
            # still escapes is logged as that 500 and left to the server to answer.
            self._log(request, 500, started)
            raise
        finally:
            _request_id.reset(token)

    @staticmethod
    def _log(request: HttpRequest, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        # The path only: query strings carry search terms, which stay out of the logs.
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
