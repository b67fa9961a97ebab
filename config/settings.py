"""Settings for the commentary site: one module, driven by environment variables.

See README.md ("Configuration") for the variables and their defaults.
"""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.csp import CSP

from web import email_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY to a long random string (or DJANGO_DEBUG=1 for development)."
        )
    # Development: a random key made once per checkout and kept out of the repository, so
    # nobody can forge sessions or preview links on someone's development server.
    key_file = BASE_DIR / "var" / "secret_key"
    key_file.parent.mkdir(exist_ok=True)
    if not key_file.exists():
        # Written whole under this process's own name, then linked into place: a process
        # starting at the same moment (another pytest-xdist worker) reads the whole key, never
        # an empty file, and the first link wins.
        draft = key_file.with_name(f"secret_key.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(get_random_secret_key())
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another process's key is in place
        finally:
            draft.unlink()
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set DJANGO_ALLOWED_HOSTS to the site's host names, comma-separated (e.g. example.org)."
    )


# The site's public address, scheme and host: every absolute address (e-mails, PDFs, feeds,
# sitemaps, Crossref, OAI-PMH, canonical links) starts with it (commentaries/addresses.py).
# Required when DEBUG is off; in development, empty means the request's own address.
def public_address(value):
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if value and not (
        parts.scheme in ("http", "https")
        and parts.hostname
        and port_ok
        and not (parts.path or parts.query or parts.fragment or parts.username)
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be a scheme and a host (and a port, if need be) with no path, e.g. "
            f"https://commentaries.example.org; it is {value!r}."
        )
    if not value and not DEBUG:
        raise ImproperlyConfigured(
            "Set SITE_URL to the site's public address, e.g. https://commentaries.example.org: "
            "e-mails, PDFs, feeds, sitemaps, Crossref deposits and OAI-PMH records carry it."
        )
    return value


SITE_URL = public_address(os.environ.get("SITE_URL", ""))

INSTALLED_APPS = [
    # django.contrib.admin with the editors' desk as its home, its shortcut checked
    "commentaries.editorial.apps.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "commentaries.editorial.apps.TopicsConfig",  # taggit, named Topics in the admin
    "reversion",
    "django_prose_editor",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",  # staff sign-in: after django-otp, whose device admins it takes down
    "django_tasks_db",
    "workers",  # before django's own apps' commands: its `migrate` takes a lock first
    "commentaries",
    "commentaries.publishing",
    "commentaries.editorial.desk",
    "commentaries.caching",
    "commentaries.reading",
    "commentaries.syndication",
    "commentaries.search",
    "commentaries.alerts",
    "commentaries.scholarly",
    "commentaries.media",
    "commentaries.pages",
    "authors",
]

MIDDLEWARE = [
    "web.access_log.AccessLogMiddleware",  # first, so it times and logs every response
    # Before everything else: a reader without a session cookie is answered from the cache
    # after at most one query, with the headers the middleware below gave the page when it was
    # kept (caching.pages; config/wsgi.py answers the same pages before Django).
    "commentaries.caching.pages.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "web.malformed.RefuseNullCharactersMiddleware",
    # The language of the path's prefix, and Content-Language: inside the page cache, so a kept
    # page keeps its header (never Django's LocaleMiddleware, which reads cookies and headers).
    "commentaries.addresses.PathLanguageMiddleware",
    # Without SITE_URL (development), absolute addresses are the request's own.
    "commentaries.addresses.RequestAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second step done
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "web.context_processors.site",
                "commentaries.addresses.alternates",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The test database is a file, not memory, so that a task worker started by a test (a
    # process of its own) works on the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
    # Transactions take the write lock when they begin. A transaction that began reading and
    # then writes cannot wait for another writer: SQLite refuses it at once ("database is
    # locked"), which under `make serve` turned a subscribe into a 500 while the worker sent a
    # confirmation. Begun IMMEDIATE, it waits (up to the 5 s timeout) instead.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: PostgreSQL compiles any query whose estimate looks dear (one over an archive of
    # 100,000 rows, even when it reads 300 of them): 218 ms compiling a query that ran in 27.
    # Random reads priced as the SSDs and memory that hold a site's database make them, not as
    # the spinning disks of the default (4): at that price PostgreSQL read all 100,000 pieces
    # to find the 1,067 of a topic rather than look them up, 26.6 ms against 4.0. No parallel
    # workers: a request is small, and the cores serve other requests; a search's two helpers
    # took it from 9.3 ms to 15.1.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    )
# A PostgreSQL streaming replica of DATABASE_URL: public pages read from it (readers without a
# session, the whole request); writes, transactions, staff, the task worker and the content
# generation's moves use the primary (commentaries/caching/replica.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if {DATABASES[alias]["ENGINE"] for alias in DATABASES} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL is a PostgreSQL replica of a PostgreSQL DATABASE_URL."
        )
    # The primary's tuning; a short connect timeout, so that pages read the primary at once
    # while the replica is away (unless the URL sets one).
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": 2,
        **DATABASES["replica"].get("OPTIONS", {}),
    }
    # Tests run on the primary's test database alone.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["commentaries.caching.replica.ReplicaRouter"]
# How long a front-cache ban waits for the replica to replay the change before it is tried later.
REPLICA_WAIT_SECONDS = float(os.environ.get("REPLICA_WAIT_SECONDS", "10"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface's languages. SITE_LANGUAGE is the main one: its pages keep the unprefixed
# addresses (/commentaries/210/); every other language lives under its code (/ja/...). A
# request's language comes from its path alone (commentaries.addresses.PathLanguageMiddleware).
LANGUAGES = [("en", "English"), ("ja", "日本語")]
SITE_LANGUAGE = os.environ.get("SITE_LANGUAGE", "en").strip()
if SITE_LANGUAGE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"SITE_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}; it is {SITE_LANGUAGE!r}."
    )
LANGUAGE_CODE = SITE_LANGUAGE
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own form (config/formats/ja: 2015年5月15日).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files (PDF editions, pictures and renditions, share cards, deposit
# files), all through Django's storage API: under var/media by default; with
# MEDIA_STORAGE_URL=s3://bucket/prefix?endpoint_url=https://...&region_name=..., in S3-compatible
# object storage through django-storages (the s3 extra, which the make targets install; the keys
# from the usual AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Files are always served through
# the site. With DEBUG off, `check --deploy` warns of the local file system, which the hosts of a
# site on several machines do not share, unless MEDIA_ONE_HOST=1 says the site has one host.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "")
MEDIA_ONE_HOST = env_bool("MEDIA_ONE_HOST")
# Uploaded pictures (commentaries.media): at most this many megabytes, and this many million
# pixels once decoded (a small file can decode to gigabytes: a decompression bomb).
MEDIA_MAX_UPLOAD_BYTES = int(float(os.environ.get("MEDIA_MAX_UPLOAD_MB", "10")) * 1024 * 1024)
MEDIA_MAX_PIXELS = int(float(os.environ.get("MEDIA_MAX_MEGAPIXELS", "40")) * 1_000_000)


def media_storage(url):
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL must look like s3://bucket/prefix?...")
    # A name already taken gets a suffix, as on the file system: a file stored anew (a PDF
    # rendered again, a rendition stored twice by a race) never overwrites the one that the
    # code deletes next.
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "file_overwrite": False,
    }
    options.update(
        {k: v for k, v in parse_qsl(parts.query) if k in ("endpoint_url", "region_name")}
    )
    # A storage that does not answer is told within seconds (the page answers 503), rather than
    # after botocore's minute-long connect timeout, past gunicorn's worker timeout.
    from botocore.config import Config

    options["client_config"] = Config(
        connect_timeout=5, read_timeout=20, retries={"mode": "standard", "max_attempts": 3}
    )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(MEDIA_STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TAGGIT_CASE_INSENSITIVE = True

# The public name of the site, used in page titles, feeds and metadata.
SITE_NAME = os.environ.get("SITE_NAME", "AJISS-Commentary")
FEED_LENGTH = int(os.environ.get("FEED_LENGTH", "20"))
FEED_TAG_AUTHORITY = os.environ.get("FEED_TAG_AUTHORITY", "commentaries.example.org,2015")

# How long a signed preview link for outside reviewers stays valid.
PREVIEW_LINK_MAX_AGE = int(os.environ.get("PREVIEW_LINK_DAYS", "7")) * 24 * 60 * 60

# Feeds (see README.md, "Feeds"). A rendered feed is cached until what is public changes, and at
# most FEED_CACHE_SECONDS. The WebSub hub is told the feeds' addresses under SITE_URL.
FEED_CACHE_SECONDS = int(os.environ.get("FEED_CACHE_SECONDS", "300"))
WEBSUB_HUB_URL = os.environ.get("WEBSUB_HUB_URL", "")
if WEBSUB_HUB_URL and not SITE_URL:
    raise ImproperlyConfigured(
        "Set SITE_URL (e.g. https://commentaries.example.org) when WEBSUB_HUB_URL is set: the hub "
        "is told which feed addresses changed."
    )

# --- Production: HTTPS, headers, logins, cache, logs (README.md, "Production") ---------------

# The admin's address; moving it off /admin/ keeps scripted login attempts down.
ADMIN_PATH = (os.environ.get("DJANGO_ADMIN_PATH") or "admin").strip("/") + "/"

# DJANGO_HTTPS=1: the site runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
# Off, plain HTTP on loopback (make serve, the load test) keeps admin logins working.
HTTPS = env_bool("DJANGO_HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe the app over plain HTTP
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Public pages run one script, a file on this origin (static/js/share.js: a piece's "Copy
# link"), never with a nonce: the page cache keeps no page with one. The admin's scripts and
# styles are files on this origin, and the few inline ones carry the request's nonce
# ({% csp_nonce_attr %}, js_asset's Media).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "upgrade-insecure-requests": HTTPS,
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
    ]
}  # fmt: skip

# Trusted proxies in front of the site, each appending to X-Forwarded-For: the client address
# (logins, the alerts' subscribe throttle, the access log) is the entry they appended
# (clients.address).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1" if HTTPS else "0"))

# django-axes (accounts.logins): five failed logins for one username from one address lock that
# pair out for 15 minutes, and LOGIN_ADDRESS_FAILURE_LIMIT failures from one address, whatever
# the usernames, lock the address out; a success resets the pair's count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "accounts.logins.PairAndAddressHandler"
AXES_CLIENT_IP_CALLABLE = "clients.address.client_address"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# Two-step sign-in (accounts): anyone on the staff may turn it on for themselves; with
# ADMIN_REQUIRE_2FA=1, editors (who may publish) and superusers must. A wrong code counts as a
# failed login for django-axes, like a wrong password.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA")
OTP_TOTP_ISSUER = SITE_NAME  # the name authenticator apps show beside the code
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Codes typed at the second step are masked, like passwords, in django-axes' record of failures.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# The scholarly record (README.md, "The scholarly record"). DOI_PATTERN proposes a DOI when a
# piece is first published ({number}, {series}: the series' slug); Crossref deposits are posted
# when CROSSREF_DEPOSIT_URL is set (https://doi.crossref.org/servlet/deposit, or the test system).
DOI_PATTERN = os.environ.get("DOI_PATTERN", "")
CROSSREF_DEPOSIT_URL = os.environ.get("CROSSREF_DEPOSIT_URL", "")
CROSSREF_USERNAME = os.environ.get("CROSSREF_USERNAME", "")
CROSSREF_PASSWORD = os.environ.get("CROSSREF_PASSWORD", "")
CROSSREF_DEPOSITOR_NAME = os.environ.get("CROSSREF_DEPOSITOR_NAME", SITE_NAME)
CROSSREF_DEPOSITOR_EMAIL = os.environ.get("CROSSREF_DEPOSITOR_EMAIL", "webmaster@localhost")
# OAI-PMH: records per ListRecords/ListIdentifiers page; the namespace of record identifiers
# (oai:<this>:<series>/<number>; SITE_URL's host, else the request's); the adminEmail (empty:
# webmaster@ SITE_URL's host; make serve's preflight refuses one not of OAI-PMH's form).
OAI_PAGE_SIZE = int(os.environ.get("OAI_PAGE_SIZE", "20"))
OAI_REPOSITORY_IDENTIFIER = os.environ.get("OAI_REPOSITORY_IDENTIFIER", "")
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "")

# Side effects (pings, e-mails, PDFs, deposits, purges) run as tasks. The database backend keeps
# them until a worker (`make worker`, or the one `make serve` starts) has run them; "immediate"
# runs them in the process that enqueues them, as `make run` and the tests do.
TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# The worker records due publication events this often (a scheduled piece's go-live among them).
EVENT_CLOCK_SECONDS = float(os.environ.get("EVENT_CLOCK_SECONDS", "30"))
# A worker holds each task it runs under a lease this long, renewed every third of it; once a
# lease expires (its worker died, on any host), any live worker puts the task back (workers).
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "30"))
# /healthz answers 503 when the oldest ready task has waited longer than this.
HEALTHZ_TASK_WAIT_SECONDS = float(os.environ.get("HEALTHZ_TASK_WAIT_SECONDS", "600"))

# E-mail (README.md, "E-mail alerts"). EMAIL_URL names the mail server (web/email_url.py);
# `make run` prints messages on the console; EMAIL_FROM is the sender of every message.
EMAIL = email_url.parse(
    os.environ.get("EMAIL_URL") or ("console://" if DEBUG else "smtp://localhost:25")
)
EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT = (
    EMAIL[k] for k in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT")
)
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = EMAIL["EMAIL_HOST_USER"], EMAIL["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT = (
    EMAIL[k] for k in ("EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT")
)
EMAIL_FROM = os.environ.get("EMAIL_FROM", "") or f"{SITE_NAME} <alerts@localhost>"
DEFAULT_FROM_EMAIL = SERVER_EMAIL = EMAIL_FROM
# Alerts carry the full text (1) or the key points and a link (0).
ALERTS_FULL_TEXT = env_bool("ALERTS_FULL_TEXT", True)
# The weekly digest goes out on this day (0 Monday ... 6 Sunday) at this hour, site time.
ALERTS_DIGEST_WEEKDAY = int(os.environ.get("ALERTS_DIGEST_WEEKDAY", "0"))
ALERTS_DIGEST_HOUR = int(os.environ.get("ALERTS_DIGEST_HOUR", "9"))
if not (0 <= ALERTS_DIGEST_WEEKDAY <= 6 and 0 <= ALERTS_DIGEST_HOUR <= 23):
    raise ImproperlyConfigured(
        "ALERTS_DIGEST_WEEKDAY is 0-6 (Monday-Sunday), ALERTS_DIGEST_HOUR 0-23."
    )
# A confirmation link works this many days; unconfirmed requests are deleted after it.
ALERTS_CONFIRM_DAYS = int(os.environ.get("ALERTS_CONFIRM_DAYS", "3"))
# Subscribe requests: confirmation e-mails to one address a day, requests from one client an hour.
ALERTS_PER_ADDRESS = int(os.environ.get("ALERTS_PER_ADDRESS", "3"))
ALERTS_PER_CLIENT = int(os.environ.get("ALERTS_PER_CLIENT", "10"))
# An address that unsubscribes whoever writes to it (List-Unsubscribe's mailto), if there is one.
ALERTS_UNSUBSCRIBE_MAILTO = os.environ.get("ALERTS_UNSUBSCRIBE_MAILTO", "")

# Redis when REDIS_URL is set, else memory in each process. Redis is a cache, never a
# dependency: while it is away, cache calls miss and the site serves uncached.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "commentaries.caching.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# With DEBUG off, every log record is one JSON line on stderr: one per request from
# web.access_log, and tracebacks (as "exc_info") from django.request on errors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"production": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    },
    "handlers": {
        "json": {
            "class": "logging.StreamHandler",
            "filters": ["production"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["json"], "level": "INFO"},
    "loggers": {"axes.apps": {"level": "WARNING"}},  # its start-up banner, once per process
}

# Whole public pages are cached for readers until what they show changes, and at most this long.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# How long a process trusts its last reading of the content generation (caching/freshness.py):
# a change made by another process shows within this; one made by the same process at once.
FRESHNESS_SECONDS = float(os.environ.get("FRESHNESS_SECONDS", "0" if DEBUG else "1"))
# Every Varnish node (deploy/varnish.vcl) or CDN purge endpoint with the same contract, comma-
# separated: each publication event sends each of them a BAN for public pages, a durable task
# per node (commentaries/caching/frontcache.py). FRONT_CACHE_URL, the one-node spelling of
# earlier releases, is read when FRONT_CACHE_URLS is not set. Empty: no front cache to tell.
FRONT_CACHE_URLS = env_list("FRONT_CACHE_URLS") or env_list("FRONT_CACHE_URL")
for url in FRONT_CACHE_URLS:
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ImproperlyConfigured(
            f"FRONT_CACHE_URLS holds addresses such as http://10.0.0.5:6081/; {url!r} is not one."
        )
