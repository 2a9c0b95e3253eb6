import json

import pytest

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


def test_bench_command_runs_in_a_scratch_database(bench_command, tmp_path):
    result = bench_command("profile-page", "--size", "3")
    assert "GET /profile/<username>/" in result.stdout
    assert json.loads((tmp_path / "reports" / "bench-profile-page.json").read_text())["size"] == 3
    # The owner's database was never opened, let alone filled.
    assert not (tmp_path / "owner.sqlite3").exists()
