"""Settings for MHC Control Panel.

One environment-driven module: development and production differ only in values, read from the
environment or a `.env` file beside manage.py (see `.env.example`).
"""

import contextlib
import os
from datetime import timedelta
from pathlib import Path

import environ
from whitenoise.compress import Compressor

from mhc.database_config import database_config
from mhc.logging_config import logging_config, sentry_init
from mhc.storage_config import local_storage, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """The configured SECRET_KEY; a local run without one gets a key generated once into .local/."""
    configured = env.str("SECRET_KEY", default="")
    if configured:
        return configured
    if not DEBUG:
        # Left empty: Django refuses an empty key wherever one is used (sessions, signing), and
        # the servers refuse to start without one (`mhc.checks.require_secret_key`), while
        # commands that need no key, such as makemigrations, still run.
        return ""
    from django.core.management.utils import get_random_secret_key

    key_file = BASE_DIR / ".local" / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(exist_ok=True)
        # Written whole under another name, then linked into place: processes starting together
        # (parallel tests) never read a half-written key, and the first one's key stays.
        draft = key_file.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(get_random_secret_key())
        draft.chmod(0o600)
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "mhc",
    "accounts",
    "profiles",
    "events",
    "collaborations",
    "notes",
    "attributes",
    "relationships",
    "media",
    "legacy",
    "backups",
]

MIDDLEWARE = [
    "mhc.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mhc.headers.ContentSecurityPolicyMiddleware",
    "mhc.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "mhc.middleware.NulQueryStringMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "events.middleware.ActorMiddleware",
    "mhc.auth.LoginRequiredMiddleware",
    "mhc.auth.AccessMiddleware",
    "mhc.auth.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mhc.urls"
WSGI_APPLICATION = "mhc.wsgi.application"
ASGI_APPLICATION = "mhc.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mhc.context_processors.app",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env.int("CONN_MAX_AGE", default=60),
    )
}
# Production names its database explicitly (`manage.py check --deploy` refuses the default file).
DATABASE_URL_SET = bool(env.str("DATABASE_URL", default=""))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "people"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# WhiteNoise: only the hashed names are kept and served; source maps are not compressed, since
# only a developer's tools fetch them and they are most of collectstatic's time.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["map", *Compressor.SKIP_COMPRESS_EXTENSIONS]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media_files")
REPORTS_DIR = env.path("REPORTS_DIR", default=BASE_DIR / "reports")

# --- Media storage: a local folder by default, any S3-compatible server with MEDIA_STORAGE=s3 ---
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_PREFIX = env.str("S3_PREFIX", default="mhc/media/")
S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default="") or None
S3_REGION = env.str("S3_REGION", default="us-east-1")
S3_ACCESS_KEY_ID = env.str("S3_ACCESS_KEY_ID", default="") or None
S3_SECRET_ACCESS_KEY = env.str("S3_SECRET_ACCESS_KEY", default="") or None
S3_URL_EXPIRY_SECONDS = env.int("S3_URL_EXPIRY_SECONDS", default=300)
# boto3 retries a throttled or failed request with backoff: "standard" or "adaptive" (which
# also slows down when S3 throttles), up to S3_MAX_ATTEMPTS attempts in all (the first included).
S3_RETRY_MODE = env.str("S3_RETRY_MODE", default="standard")
S3_MAX_ATTEMPTS = env.int("S3_MAX_ATTEMPTS", default=5)
# Connections kept open to S3: at least the workers a maintenance command runs.
S3_MAX_POOL_CONNECTIONS = env.int("S3_MAX_POOL_CONNECTIONS", default=32)


def media_storage_config(kind: str) -> dict:
    """The STORAGES["default"] entry for a media storage kind ("local" or "s3")."""
    if kind == "local":
        return local_storage(str(MEDIA_ROOT))
    if kind == "s3":
        return s3_storage(
            bucket=S3_BUCKET,
            endpoint_url=S3_ENDPOINT_URL,
            region=S3_REGION,
            access_key=S3_ACCESS_KEY_ID,
            secret_key=S3_SECRET_ACCESS_KEY,
            url_expiry_seconds=S3_URL_EXPIRY_SECONDS,
            retry_mode=S3_RETRY_MODE,
            max_attempts=S3_MAX_ATTEMPTS,
            max_pool_connections=S3_MAX_POOL_CONNECTIONS,
        )
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {kind!r}.")


STORAGES = {
    "default": media_storage_config(MEDIA_STORAGE),
    # Hashed names in production (after collectstatic), so a browser never keeps a stale app.js,
    # and gzip/brotli copies beside them that WhiteNoise serves to browsers that accept them.
    "staticfiles": {
        "BACKEND": PLAIN_STATIC if DEBUG else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Media library (see media/services/__init__.py) ------------------------------------------
# Downloads and uploads: the largest image accepted, and the download timeouts in seconds.
MEDIA_MAX_IMAGE_BYTES = env.int("MEDIA_MAX_IMAGE_BYTES", default=15 * 1024 * 1024)
MEDIA_DOWNLOAD_CONNECT_TIMEOUT = env.float("MEDIA_DOWNLOAD_CONNECT_TIMEOUT", default=10.0)
MEDIA_DOWNLOAD_READ_TIMEOUT = env.float("MEDIA_DOWNLOAD_READ_TIMEOUT", default=30.0)
# Known placeholder images are skipped: by URL fragment, by sha256, and by exact size in bytes
# (more hashes can be added in admin, "Placeholder images").
MEDIA_PLACEHOLDER_URL_PATTERNS = env.list(
    "MEDIA_PLACEHOLDER_URL_PATTERNS", default=["no_image", "noimage", "placeholder", "default_avatar"]
)
MEDIA_PLACEHOLDER_SHA256 = env.list("MEDIA_PLACEHOLDER_SHA256", default=[])
MEDIA_PLACEHOLDER_SIZES = [int(size) for size in env.list("MEDIA_PLACEHOLDER_SIZES", default=[])]
# Media jobs: a job whose heartbeat is older than this is treated as dead (its worker crashed).
MEDIA_JOB_STALE_SECONDS = env.int("MEDIA_JOB_STALE_SECONDS", default=180)
# A file move is leased to the process making it; a lease held from another machine counts
# until this many seconds after its last step (one on this machine, while its process runs).
MEDIA_MOVE_LEASE_SECONDS = env.int("MEDIA_MOVE_LEASE_SECONDS", default=300)
# Maintenance commands: files moved or read at once (default for --workers).
MEDIA_MAINTENANCE_WORKERS = env.int("MEDIA_MAINTENANCE_WORKERS", default=8)
# media_verify baseline: the usernames always followed (plus five people drawn at random).
MEDIA_VERIFY_USERNAMES = env.list("MEDIA_VERIFY_USERNAMES", default=[])
# Affiliate polling (manage.py run_jobs): the online-rooms JSON feed, how often, and whose rooms.
AFFILIATE_API_URL = env.str("AFFILIATE_API_URL", default="")
AFFILIATE_POLL_INTERVAL_SECONDS = env.int("AFFILIATE_POLL_INTERVAL_SECONDS", default=300)
AFFILIATE_POLL_ALL_ROOMS = env.bool("AFFILIATE_POLL_ALL_ROOMS", default=False)
# Broadcast history: snapshots further apart than this belong to different sessions.
BROADCAST_SESSION_GAP_MINUTES = env.int("BROADCAST_SESSION_GAP_MINUTES", default=30)
# Profile capture (manage.py run_jobs): a profile page address with {username}, and how often.
PROFILE_CAPTURE_URL = env.str("PROFILE_CAPTURE_URL", default="")
PROFILE_CAPTURE_INTERVAL_SECONDS = env.int("PROFILE_CAPTURE_INTERVAL_SECONDS", default=24 * 60 * 60)
# Live screenshots (manage.py run_jobs): how often the followed people who are live are captured
# (their room's current image in the affiliate feed at AFFILIATE_API_URL).
LIVE_SCREENSHOT_INTERVAL_SECONDS = env.int("LIVE_SCREENSHOT_INTERVAL_SECONDS", default=300)
# Collaboration clusters (manage.py run_jobs): how often the job checks whether the network has
# changed since its clusters were computed, and computes them again if so.
COLLABORATION_CLUSTERS_INTERVAL_SECONDS = env.int("COLLABORATION_CLUSTERS_INTERVAL_SECONDS", default=60)

# --- The owner -------------------------------------------------------------------------------
MHC_OWNER_USERNAME = env.str("MHC_OWNER_USERNAME", default="mhc_owner").lower()

# --- Access (see mhc/auth.py) -----------------------------------------------------------------
# Every granted account logs in with a second factor (an authenticator app). Off by default in a
# DEBUG run, so the first start with scripts/run lets the owner straight in.
MHC_REQUIRE_2FA = env.bool("MHC_REQUIRE_2FA", default=not DEBUG)

OTP_TOTP_ISSUER = "MHC Control Panel"
# Brute-force protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# or from one address, logins from there are refused for AXES_COOLOFF_HOURS. Lock-outs are
# listed in the admin ("Axes"); `manage.py axes_reset` lifts them all.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=env.float("AXES_COOLOFF_HOURS", default=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_VERBOSE = False  # no banner on every management command

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous script is told 401 with a WWW-Authenticate header.
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["mhc.auth.GrantedAccess"],
    "DEFAULT_PAGINATION_CLASS": "mhc.api_base.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "mhc.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "mhc.api_base.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["mhc.api_base.JSONRenderer"],
    # JSON in: form encodings carry no types (every value is text), so the schema could not say
    # what they accept. Uploads (media) take multipart on their own view.
    "DEFAULT_PARSER_CLASSES": ["mhc.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox): stored as SHA-512 digests, shown once, named, with an expiry.
# Scripts keep sending `Authorization: Token <key>`; new keys start with "mhc_" so a leaked one
# is easy to recognise.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own migrations would create its default token table although ApiToken replaces it (a
# table no model owns, which then blocks flushing auth_user); without them nothing is created.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_PREFIX": "mhc_",
    "TOKEN_TTL": timedelta(days=90),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MHC Control Panel API",
    "DESCRIPTION": "People, profiles, collaborations, notes, attributes, relationships and media.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["mhc.auth.GrantedAccess"],
    "SCHEMA_PATH_PREFIX": "/api",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "attributes.schema.settable_attribute_keys",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the vendored sidecar package: the app works with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Each app names its choice sets, so fields called "type" or "status" in several apps never collide.
    "ENUM_NAME_OVERRIDES": {
        "RelationshipTypeEnum": "relationships.models.RelationshipType",
        "RelationshipTierEnum": "relationships.models.Tier",
        "RelationshipStatusEnum": "relationships.models.Status",
        "RelationshipHistoryActionEnum": "relationships.models.RelationshipHistory.Action",
        "NoteCategoryEnum": "notes.models.NoteCategory",
    },
}
# Pasted chat logs can be long; the notes API refuses content over 1 MB with its own message.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=4 * 1024 * 1024)

# --- Security (clean under `manage.py check --deploy` when DEBUG is off) -----------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A proxy or monitor probes the health check over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", False) else None
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 30)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp, see mhc/headers.py): scripts, styles, fonts and requests
# only from this site; no inline script or style anywhere, no eval; images also as data: URLs
# (the QR code of the second factor's set-up, small icons). Templates therefore carry no
# <script> blocks, style="" or on*= attributes: JS lives in <app>/static/<app>/*.js, CSS in .css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Paths that need more than the policy above, and exactly what they get: the Django admin uses
# inline styles (its own widgets, our thumbnails and colour swatches).
CSP_RELAXED_PATHS = {"/admin/": {"style-src": ["'unsafe-inline'"]}}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

# --- Logs and error reports (see mhc/logging_config.py) ----------------------------------------
LOGGING = logging_config(
    level=env.str("LOG_LEVEL", default="INFO"), log_format=env.str("LOG_FORMAT", default="text")
)
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
