"""The manifest of an export: what it holds and what it was made from, checked before anything
is restored.

`manifest.json` names the app version, the database engine, the media prefix, the schema (per
app the latest migration applied), per table its file, row count, size and SHA-256, and the
file list: `files.jsonl`, one `{"key", "size", "sha256"}` a line in key order, itself named
with its count, size and SHA-256 (a list of a million files stays out of memory that way).
"""

import json
import uuid
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

from django.db import connections
from django.db.migrations.loader import MigrationLoader

from media.keys import media_prefix

FORMAT = "mhc-export"
FORMAT_VERSION = 1
FILES_LIST = "files.jsonl"


def app_version() -> str:
    try:
        return version("mhc-control-panel")
    except PackageNotFoundError:
        return "unknown"


def migration_state(using: str) -> dict[str, str]:
    """Per app, the latest migration applied to the database `using`."""
    loader = MigrationLoader(connections[using])
    latest: dict[str, tuple[int, str]] = {}
    for app_label, name in loader.applied_migrations:
        node = (app_label, name)
        depth = len(loader.graph.forwards_plan(node)) if node in loader.graph.nodes else 0
        if (depth, name) > latest.get(app_label, (-1, "")):
            latest[app_label] = (depth, name)
    return {app_label: name for app_label, (_, name) in sorted(latest.items())}


@dataclass
class Manifest:
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: str = ""
    app_version: str = field(default_factory=app_version)
    engine: str = ""
    media_prefix: str = field(default_factory=media_prefix)
    migrations: dict[str, str] = field(default_factory=dict)
    tables: dict[str, dict] = field(default_factory=dict)  # label → file, rows, size, sha256
    files: dict = field(default_factory=dict)  # list, count, bytes, size, sha256 (of the list)
    with_media: bool = False

    def as_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__}
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()

    def summary(self) -> dict:
        """What the admin keeps: everything (the file list is in its own file anyway)."""
        return json.loads(self.as_json())

    @property
    def rows(self) -> int:
        return sum(table["rows"] for table in self.tables.values())

    @classmethod
    def parse(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
        except ValueError as error:
            raise ValueError(f"manifest.json is not JSON: {error}") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("manifest.json is not the manifest of an MHC export.")
        if data.get("format_version", 0) > FORMAT_VERSION:
            raise ValueError(
                f"The export is in format {data['format_version']}, "
                f"newer than this app reads ({FORMAT_VERSION})."
            )
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})

    def comparable(self) -> dict:
        """What two exports of the same data share, whoever made them and when."""
        return {"migrations": self.migrations, "tables": self.tables, "files": self.files}
