"""Test settings: the real settings with only the speed and transport knobs turned."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789")

from mhc.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client and the live server speak plain HTTP on loopback.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Static files come from the apps' folders, as with runserver: no collectstatic before a run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Pages render without a collectstatic run: static names unhashed.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}  # noqa: F405
# The second factor is tested on purpose (tests/accounts); elsewhere tests log in with a session.
MHC_REQUIRE_2FA = False
