import json


def test_the_relationships_benchmark_runs_on_scratch_data(bench_command, tmp_path):
    result = bench_command("relationships", "--size", "12")
    assert "GET /relationships/?mine=1&page=N" in result.stdout
    report = json.loads((tmp_path / "reports" / "bench-relationships.json").read_text())
    assert [m["label"] for m in report["measurements"]][-1] == "GET the owner's section, history tab"
