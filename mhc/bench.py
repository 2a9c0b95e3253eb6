"""Benchmarks: `manage.py bench <name> [--size N] [--storage local|s3]`.

Each app may have a `benchmarks.py` whose functions are registered with `@benchmark(...)`. A
benchmark receives a `Bench`, generates its own data in the scratch database and storage the
command sets up (never the owner's data), and calls `bench.measure(...)` around the work it
times. Where the work has a natural floor (hashing the same bytes with sha256sum, running the
page's SQL raw), it measures that too and passes it as `floor`, and the table shows our figure as
a ratio to it.

A measurement records wall time, rate (items/s and/or MB/s), SQL statements and the peak growth
of the process's resident memory while it ran (sampled from /proc every 5 ms, so C allocations
such as Pillow's and boto3's count too).
"""

import json
import os
import platform
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import connection


@dataclass
class Measurement:
    label: str
    seconds: float
    items: int | None = None
    bytes: int | None = None
    queries: int = 0
    peak_memory_bytes: int | None = None
    floor: "Measurement | None" = None

    @property
    def items_per_second(self) -> float | None:
        return self.items / self.seconds if self.items and self.seconds else None

    @property
    def mb_per_second(self) -> float | None:
        return self.bytes / self.seconds / 1e6 if self.bytes and self.seconds else None

    @property
    def ratio_to_floor(self) -> float | None:
        return self.seconds / self.floor.seconds if self.floor and self.floor.seconds else None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            items_per_second=self.items_per_second,
            mb_per_second=self.mb_per_second,
            ratio_to_floor=self.ratio_to_floor,
            floor=self.floor.as_dict() if self.floor else None,
        )
        return data


class _PeakRss:
    """Samples the resident set size in a thread; `peak - start` is the growth during the block."""

    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.start = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, _rss_bytes())

    def __enter__(self) -> "_PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class Bench:
    """What a benchmark works with: its size, the storage kind, and `measure`."""

    name: str
    size: int
    storage: str
    measurements: list[Measurement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def measure(
        self,
        label: str,
        work: Callable[[], Any],
        *,
        items: int | None = None,
        bytes: int | None = None,
        floor: Measurement | None = None,
        record: bool = True,
    ) -> Measurement:
        """Run `work` once and record its time, SQL statements and memory growth."""
        statements = 0

        def count(execute, sql, params, many, context):
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count), _PeakRss() as rss:
            started = time.perf_counter()
            work()
            seconds = time.perf_counter() - started
        result = Measurement(
            label=label,
            seconds=seconds,
            items=items,
            bytes=bytes,
            queries=statements,
            peak_memory_bytes=rss.peak - rss.start,
            floor=floor,
        )
        if record:
            self.measurements.append(result)
        return result

    def note(self, text: str) -> None:
        self.notes.append(text)


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: Callable[[Bench], None]
    help: str
    default_size: int
    storages: tuple[str, ...] = ("local",)


_benchmarks: dict[str, Benchmark] = {}


def benchmark(name: str, *, help: str, default_size: int, storages: tuple[str, ...] = ("local",)):
    """Register a benchmark function `fn(bench: Bench) -> None` under `name`."""

    def register(run: Callable[[Bench], None]) -> Callable[[Bench], None]:
        _benchmarks[name] = Benchmark(name, run, help, default_size, storages)
        return run

    return register


def registered() -> dict[str, Benchmark]:
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.benchmarks") is not None:
            import_module(f"{config.name}.benchmarks")
    return dict(sorted(_benchmarks.items()))


def statistics_refresh() -> None:
    """What autovacuum does to a database in use after a bulk load (or a step that rewrote every
    row): fresh planner statistics. Seeded data has none, and PostgreSQL then picks plans blind:
    a look-up of 500 live media records by key walked the whole table (15 ms against 2 ms at
    100,000), the people search took about 4 times its SQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "database": connection.vendor,
    }


def table(bench: Bench) -> str:
    """The measurements as a text table."""
    header = ("what", "seconds", "items/s", "MB/s", "SQL", "peak MB", "floor s", "x floor")
    rows = [header]
    for m in bench.measurements:
        rows.append(
            (
                m.label,
                f"{m.seconds:.3f}",
                f"{m.items_per_second:,.0f}" if m.items_per_second else "",
                f"{m.mb_per_second:.1f}" if m.mb_per_second else "",
                f"{m.queries:,}",
                f"{m.peak_memory_bytes / 1e6:.1f}" if m.peak_memory_bytes is not None else "",
                f"{m.floor.seconds:.3f}" if m.floor else "",
                f"{m.ratio_to_floor:.2f}" if m.ratio_to_floor else "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_report(bench: Bench, reports_dir: Path) -> Path:
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / f"bench-{bench.name}.json"
    report = {
        "benchmark": bench.name,
        "size": bench.size,
        "storage": bench.storage,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "measurements": [m.as_dict() for m in bench.measurements],
        "notes": bench.notes,
    }
    path.write_text(json.dumps(report, indent=2))
    return path
