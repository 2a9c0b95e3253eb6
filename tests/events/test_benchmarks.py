import json


def test_daily_use_measures_every_section_and_the_four_look_ups_against_their_sql(bench_command, tmp_path):
    result = bench_command("daily-use", "--size", "700")
    report = json.loads((tmp_path / "reports" / "bench-daily-use.json").read_text())
    ratios = {m["label"]: m["ratio_to_floor"] for m in report["measurements"] if m["floor"]}
    assert {"section quick-stats", "section activity", "home page /"} <= set(ratios)
    # What every signed-in page pays before its own work, measured alone against its own SQL.
    assert ratios["4 look-ups through the ORM alone"] > 0
    assert "4 look-ups through the ORM alone" in result.stdout
