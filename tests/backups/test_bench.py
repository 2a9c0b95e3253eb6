"""`bench export` runs end to end on a few people: seeded, exported, restored, counted."""

import json


def test_the_export_benchmark_exports_and_restores_in_a_scratch_database(bench_command, tmp_path):
    result = bench_command("export", "--size", "3")
    assert "export_all --with-media" in result.stdout
    assert "import_all --apply" in result.stdout
    report = json.loads((tmp_path / "reports" / "bench-export.json").read_text())
    assert [m["label"] for m in report["measurements"]] == [
        "export_all --with-media",
        "import_all --apply (checks included)",
    ]
    assert not (tmp_path / "owner.sqlite3").exists()
