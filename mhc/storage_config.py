"""The STORAGES entries for media: one definition, used by settings, tests and benchmarks.

Kept free of Django imports so settings.py can use it.
"""


def local_storage(location: str) -> dict:
    return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str | None,
    region: str,
    access_key: str | None,
    secret_key: str | None,
    url_expiry_seconds: int = 300,
    retry_mode: str = "standard",
    max_attempts: int = 5,
    max_pool_connections: int = 32,
) -> dict:
    """django-storages over any S3-compatible server; private objects, short-lived signed URLs;
    requests retried with backoff (boto3's `retry_mode`), enough pooled connections for the
    maintenance commands' workers."""
    from botocore.config import Config

    if retry_mode not in ("standard", "adaptive", "legacy"):
        raise ValueError(f"The S3 retry mode must be standard, adaptive or legacy, not {retry_mode!r}.")
    client_config = Config(
        retries={"mode": retry_mode, "total_max_attempts": max_attempts},
        max_pool_connections=max_pool_connections,
        signature_version="s3v4",
        s3={"addressing_style": "path"},
    )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": url_expiry_seconds,
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": "path",
            "client_config": client_config,
        },
    }
