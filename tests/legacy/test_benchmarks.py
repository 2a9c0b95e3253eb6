import json


def test_the_import_benchmark_runs_on_a_small_generated_source(bench_command, tmp_path):
    result = bench_command("import-legacy", "--size", "100")
    assert "import_legacy --apply" in result.stdout
    report = json.loads((tmp_path / "reports" / "bench-import-legacy.json").read_text())
    assert report["size"] == 100
    labels = [m["label"] for m in report["measurements"]]
    assert labels == [
        "read every source row (floor)",
        "import_legacy --apply",
        "import_legacy --apply again (no change)",
    ]
    assert "balanced: True" in " ".join(report["notes"])
    assert "rows written by the second run: 0" in report["notes"]
