import json


def test_the_collaborations_benchmark_runs_and_writes_its_report(bench_command, tmp_path):
    result = bench_command("collaborations", "--size", "5")
    assert "GET the section (5 collaborators)" in result.stdout
    report = json.loads((tmp_path / "reports" / "bench-collaborations.json").read_text())
    group = next(m for m in report["measurements"] if m["label"].startswith("collaboration_add_group"))
    assert group["items"] == 1225
    # a handful of statements for 1,225 pairs, and their events in the batches SQLite allows
    assert group["queries"] <= 20 + 1225 // (999 // 16) + 1
