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
) -> dict:
    """django-storages over any S3-compatible server; private objects, short-lived signed URLs."""
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
        },
    }
