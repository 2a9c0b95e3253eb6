"""The merge benchmark runs as the owner would run it, and records its three measurements."""

import json


def test_the_merge_benchmark_runs_in_a_scratch_database(bench_command, tmp_path):
    result = bench_command("people-merge", "--size", "20")
    assert "person_merge_undo" in result.stdout
    report = json.loads((tmp_path / "reports" / "bench-people-merge.json").read_text())
    assert [m["label"] for m in report["measurements"]] == [
        "person_merge_preview",
        "person_merge",
        "person_merge_undo",
    ]
