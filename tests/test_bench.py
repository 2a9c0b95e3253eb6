import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from mhc.bench import Bench, Measurement, table, write_report
from profiles.models import Person


@pytest.mark.django_db
def test_measure_counts_sql_statements_and_time():
    bench = Bench(name="t", size=1, storage="local")
    result = bench.measure("three queries", lambda: [Person.objects.count() for _ in range(3)], items=3)
    assert result.queries == 3
    assert result.seconds > 0
    assert result.items_per_second == pytest.approx(3 / result.seconds)
    assert bench.measurements == [result]


def test_table_shows_ratio_to_the_floor(tmp_path):
    bench = Bench(name="t", size=1, storage="local")
    floor = Measurement(label="floor", seconds=0.5)
    bench.measurements.append(Measurement(label="ours", seconds=2.0, bytes=4_000_000, floor=floor))
    text = table(bench)
    assert "4.00" in text  # 2.0 s against a 0.5 s floor
    assert "2.0" in text  # MB/s
    report = json.loads(write_report(bench, tmp_path).read_text())
    assert report["measurements"][0]["ratio_to_floor"] == 4.0
    assert report["machine"]["cpus"] >= 1


def test_bench_command_runs_in_a_scratch_database(tmp_path):
    owner_db = tmp_path / "owner.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mhc.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{owner_db}",
        "REPORTS_DIR": str(tmp_path / "reports"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "profile-page", "--size", "3"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "GET /profile/<username>/" in result.stdout
    assert json.loads((tmp_path / "reports" / "bench-profile-page.json").read_text())["size"] == 3
    assert not owner_db.exists()  # the owner's database was never opened, let alone filled
