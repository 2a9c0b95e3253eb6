"""`manage.py bench import-legacy [--size N]`: import a generated original database of N persons
(default 100,000) with 10 images and 20 polling rows each, into the scratch database.

The source is built on the local PostgreSQL server (`MHC_BENCH_SOURCE_SERVER`, default
postgresql://postgres@127.0.0.1:5432) by set-returning SQL, so generating millions of rows takes
seconds, and dropped afterwards. The floor is reading every source row through the same
server-side cursors without writing anything.
"""

import os
import resource
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg

from legacy.importer import import_legacy
from legacy.importer.source import Source
from mhc.bench import Bench, benchmark

FIXTURES = Path(__file__).parent / "fixtures"
SERVER = os.environ.get("MHC_BENCH_SOURCE_SERVER", "postgresql://postgres@127.0.0.1:5432")

GENERATE = FIXTURES / "generate.sql"


@contextmanager
def source_database(persons: int):
    """A generated original database (current schema) of `persons` persons; yields its URL."""
    name = f"legacy_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{SERVER}/{name}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute((FIXTURES / "common.sql").read_text())
            conn.execute((FIXTURES / "current.sql").read_text())
            conn.execute(
                "INSERT INTO migrations (id, name) SELECT n, n || '.sql' FROM generate_series(1, 96) n"
            )
            sizes = {"persons": persons, "media": persons * 10, "polling": persons * 20}
            conn.execute(GENERATE.read_text().format(**sizes).encode())
        yield url
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _read_everything(url: str) -> int:
    source = Source(url)
    rows = 0
    try:
        for table in source.schema.columns:
            for batch in source.stream(f'SELECT * FROM "{table}"', size=2000):
                rows += len(batch)
    finally:
        source.close()
    return rows


@benchmark(
    "import-legacy",
    help="Import a generated original MHC database: N persons, 10 images and 20 polling rows each.",
    default_size=100_000,
)
def import_legacy_benchmark(bench: Bench) -> None:
    with source_database(bench.size) as url:
        counted = {}
        floor = bench.measure(
            "read every source row (floor)", lambda: counted.update(rows=_read_everything(url)), record=False
        )
        rows = counted["rows"]
        floor.items = rows
        bench.measurements.append(floor)
        sizes = f"{bench.size:,} persons, {bench.size * 10:,} media, {bench.size * 20:,} polling"
        bench.note(f"source rows: {rows:,} ({sizes})")
        result = {}

        def first():
            result["first"] = import_legacy(url, apply=True, show_progress=False)

        bench.measure("import_legacy --apply", first, items=rows, floor=floor)
        bench.note(f"rows written: {result['first'].written:,}; balanced: {result['first'].balanced}")
        spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result["first"].seconds.items())
        bench.note(f"where the time went: {spent}")

        def second():
            result["second"] = import_legacy(url, apply=True, show_progress=False)

        bench.measure("import_legacy --apply again (no change)", second, items=rows, floor=floor)
        bench.note(f"rows written by the second run: {result['second'].written:,}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        bench.note(f"peak resident memory of the whole process: {peak:.0f} MB")
