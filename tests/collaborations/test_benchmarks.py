import json
import os
import subprocess
import sys

from django.conf import settings


def test_the_collaborations_benchmark_runs_and_writes_its_report(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mhc.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'owner.sqlite3'}",
        "REPORTS_DIR": str(tmp_path / "reports"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "collaborations", "--size", "5"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "GET the section (5 collaborators)" in result.stdout
    report = json.loads((tmp_path / "reports" / "bench-collaborations.json").read_text())
    group = next(m for m in report["measurements"] if m["label"].startswith("collaboration_add_group"))
    assert group["items"] == 1225
    assert group["queries"] <= 20  # a handful of statements for 1,225 pairs
