"""The DATABASES entry: whatever DATABASE_URL names, with SQLite set up for a web server.

Kept free of Django imports so settings.py can use it.
"""

# SQLite starts a transaction without the write lock and asks for it at the first write. Two
# requests that each read and then write deadlock that way, and SQLite fails one of them at once
# ("database is locked", a 500) instead of letting it wait. Taking the write lock when the
# transaction begins makes the second writer wait its turn (up to `timeout` seconds).
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}


def database_config(config: dict, *, conn_max_age: int = 0) -> dict:
    """The DATABASES["default"] entry for a parsed DATABASE_URL.

    A PostgreSQL connection is kept `conn_max_age` seconds for the requests that follow, checked
    before its first use in each (CONN_HEALTH_CHECKS): opening one costs about 3 ms here, as much
    as the rest of a small request (docs/performance.md, "Daily use"). A SQLite file opens in
    microseconds and is opened per request as Django does by default.
    """
    config = {**config, "ATOMIC_REQUESTS": False}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    else:
        config.setdefault("CONN_MAX_AGE", conn_max_age)
        config["CONN_HEALTH_CHECKS"] = True
    return config
