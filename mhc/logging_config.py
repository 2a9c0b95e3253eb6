"""Logging and error reporting, from two settings: LOG_FORMAT and SENTRY_DSN.

Everything goes to the console (stderr), where systemd's journal or the container runtime keeps
it: one line per record, plain text by default or one JSON object per line with
`LOG_FORMAT=json`, each carrying the id of the request it belongs to (see mhc/request_log.py).
"""

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


def logging_config(*, level: str, log_format: str) -> dict:
    """The LOGGING setting: `log_format` is "text" or "json"."""
    if log_format not in {"text", "json"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be 'text' or 'json', not {log_format!r}.")
    json_formatter = {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "format": JSON_FIELDS,
        "rename_fields": {"asctime": "time"},
    }
    formatter = json_formatter if log_format == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "mhc.request_log.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # RequestLogMiddleware already writes a line for every request, 4xx included.
            "django.request": {"level": "ERROR"},
        },
    }


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    """Report unhandled errors to Sentry (or any server that speaks its protocol)."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=traces_sample_rate,
        # The dossier is private: no cookies, user names or request bodies leave the machine.
        send_default_pii=False,
        max_request_body_size="never",
    )
