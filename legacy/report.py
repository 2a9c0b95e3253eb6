"""The JSON report of an `import_legacy` run: reports/import-legacy-<UTC timestamp>.json."""

from pathlib import Path

from media.maintenance.run import report_write as write_json


def report_write(result) -> Path:
    return write_json("import-legacy", result.as_dict())
