"""Who is working on a journalled move: a lease naming the process (host, pid and the pid's
start time, so a recycled pid is not mistaken for it) and a time it expires.

A move holds a lease while a process works on it and drops it as soon as that process stops
(whatever the reason, short of being killed). Recovery takes over every unfinished move whose
lease is not alive: none held, held by a process of this host that no longer runs, or expired.
So a move cut short is recovered by the very next command, however recent, while a move another
process is still making is left to it.
"""

import os
import socket
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone


def _start_ticks(pid: int) -> str:
    """When process `pid` started (clock ticks since boot), or "" if it does not run."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            # The command name (field 2) may hold spaces and brackets: fields after its ")".
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


@cache
def _host() -> str:
    return socket.gethostname()


_holders: dict[int, str] = {}


def lease_holder() -> str:
    """This process, as a lease names it: read once (a later failure to read /proc, say out of
    file descriptors, must not make it another process and lose it its own moves)."""
    pid = os.getpid()
    if pid not in _holders:
        ticks = _start_ticks(pid)
        if not ticks:
            return f"{_host()}:{pid}:"
        _holders[pid] = f"{_host()}:{pid}:{ticks}"
    return _holders[pid]


def lease_expiry() -> datetime:
    return timezone.now() + timedelta(seconds=settings.MEDIA_MOVE_LEASE_SECONDS)


def lease_alive(holder: str, expires_at: datetime | None) -> bool:
    """Whether the process named by `holder` may still be working on the move."""
    if not holder:
        return False
    host, _, rest = holder.partition(":")
    pid_text, _, ticks = rest.partition(":")
    if host == _host() and pid_text.isdigit() and os.path.exists("/proc/self/stat"):
        return _start_ticks(int(pid_text)) == ticks
    return expires_at is not None and expires_at > timezone.now()
