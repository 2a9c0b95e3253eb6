import json
import os
import subprocess
import sys

from django.conf import settings


def test_the_relationships_benchmark_runs_on_scratch_data(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mhc.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'owner.sqlite3'}",
        "REPORTS_DIR": str(tmp_path / "reports"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "relationships", "--size", "12"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "GET /relationships/?mine=1&page=N" in result.stdout
    report = json.loads((tmp_path / "reports" / "bench-relationships.json").read_text())
    assert [m["label"] for m in report["measurements"]][-1] == "GET the owner's section, history tab"
