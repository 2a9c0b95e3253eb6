"""Transactions that are retried when the database gives up on them for a reason that a second
try fixes: a deadlock, or a serialisation failure (PostgreSQL's 40P01 and 40001)."""

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def is_retryable(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES


def atomic_with_retry(work: Callable[[], T], *, attempts: int = 6) -> T:
    """Run `work` in its own transaction; when the database aborts it as a deadlock victim or a
    serialisation failure, roll back and run it again (after a short, random, growing pause), up
    to `attempts` times. Inside an outer transaction a retry is impossible (the outer one is
    aborted too), so there the error is raised at once."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if attempt == attempts or not is_retryable(error) or connection.in_atomic_block:
                raise
            log.info("Retrying a transaction (attempt %d) after: %s", attempt + 1, error)
            time.sleep(random.uniform(0, 0.02 * 2**attempt))
    raise AssertionError("unreachable")
