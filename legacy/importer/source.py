"""The original database, opened read-only: what generation of the schema it is, which tables and
columns it has, and streams of its rows through server-side cursors."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row

# The eight flags kept as boolean columns on `profiles` before migration 094 dropped them.
FLAG_COLUMNS = (
    "watch_list",
    "banned_me",
    "banned_by_me",
    "room_banned",
    "smoke_on_cam",
    "leather_fetish",
    "had_interaction",
    "profile_smoke",
)
# The newest migration this importer knows (096 renamed the polling tables).
NEWEST_KNOWN_MIGRATION = 96
REQUIRED = {"persons": {"id", "username", "platform"}, "profiles": {"id", "person_id"}}


class SourceError(Exception):
    """The source cannot be read as an MHC database; the message says what is missing."""


def redact(url: str) -> str:
    """The URL without its password, for messages and reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass
class Schema:
    """The tables and columns of the source's `public` schema, and which generation it is."""

    columns: dict[str, list[str]]
    keys: dict[str, list[tuple[str, str]]]  # table → [(column, SQL type)] of its primary key
    generation: str = ""
    tables: dict[str, str] = field(default_factory=dict)  # role → the table playing it

    def has(self, table: str, *columns: str) -> bool:
        return table in self.columns and set(columns) <= set(self.columns[table])


class Source:
    """A read-only, repeatable-read connection to the original database: every table is read
    from the same snapshot, and the server refuses any write."""

    def __init__(self, url: str):
        self.url = url
        try:
            self.connection = psycopg.connect(
                url,
                connect_timeout=10,
                row_factory=dict_row,
                options="-c default_transaction_read_only=on -c TimeZone=UTC",
            )
        except psycopg.Error as error:
            raise SourceError(
                f"Cannot open the source database {redact(url)}: {_first_line(error)}"
            ) from None
        self.connection.read_only = True
        self.connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self._cursors = 0
        self.schema = self._read_schema()

    def close(self) -> None:
        self.connection.rollback()
        self.connection.close()

    def rows(self, sql: str, params: tuple | list = ()) -> list[dict]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def stream(self, sql: str, params: tuple | list = (), size: int = 2000) -> Iterator[list[dict]]:
        """The rows of `sql` in batches of `size`, through a server-side cursor (bounded memory)."""
        self._cursors += 1
        with self.connection.cursor(name=f"legacy_import_{self._cursors}") as cursor:
            cursor.itersize = size
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield rows

    def count(self, table: str) -> int:
        return self.rows(f'SELECT count(*) AS n FROM "{table}"')[0]["n"]

    def select_list(
        self, table: str, wanted: list[str], alias: str = "t", renames: dict | None = None
    ) -> str:
        """`alias.col, …` for the wanted columns; one the table lacks reads as NULL (or as the older
        column `renames` names for it), so the optional column variants of the schema read alike."""
        present = set(self.schema.columns.get(table, ()))
        parts = []
        for column in wanted:
            older = (renames or {}).get(column)
            if column in present:
                parts.append(f'{alias}."{column}"')
            elif older and older in present:
                parts.append(f'{alias}."{older}" AS "{column}"')
            else:
                parts.append(f'NULL AS "{column}"')
        return ", ".join(parts)

    def _read_schema(self) -> Schema:
        try:
            tables = self.rows(
                "SELECT c.table_name, c.column_name FROM information_schema.columns c "
                "JOIN information_schema.tables t USING (table_schema, table_name) "
                "WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
                "ORDER BY c.table_name, c.ordinal_position"
            )
            keys = self.rows(
                "SELECT c.relname AS table_name, a.attname AS column_name, "
                "format_type(a.atttypid, a.atttypmod) AS type "
                "FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey) "
                "WHERE i.indisprimary AND n.nspname = 'public' "
                "ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)"
            )
        except psycopg.Error as error:
            raise SourceError(f"Cannot read the source's schema: {_first_line(error)}") from None
        schema = Schema(columns={}, keys={})
        for row in tables:
            schema.columns.setdefault(row["table_name"], []).append(row["column_name"])
        for row in keys:
            schema.keys.setdefault(row["table_name"], []).append((row["column_name"], row["type"]))
        self._classify(schema)
        return schema

    def _classify(self, schema: Schema) -> None:
        missing = [
            f"{table} ({', '.join(sorted(columns - set(schema.columns.get(table, ()))))})"
            if table in schema.columns
            else table
            for table, columns in REQUIRED.items()
            if not schema.has(table, *columns)
        ]
        if missing:
            raise SourceError(
                "This is not an MHC Control Panel database: it lacks " + ", ".join(missing) + "."
            )
        self._check_not_newer(schema)
        if schema.has("profiles", *FLAG_COLUMNS):
            schema.generation = "pre094"
        elif schema.has("attribute_lookup", "person_id", "attribute_key", "value"):
            schema.generation = "current"
        else:
            raise SourceError(
                "Unknown MHC schema: profiles has neither the eight flag columns "
                f"({', '.join(FLAG_COLUMNS)}) nor is there an attribute_lookup table."
            )
        roles = {
            "media": ("media_locator", "profile_images"),
            "affiliate": ("affiliate_api_polling", "affiliate_api_snapshots"),
            "statbate": ("statbate_api_polling", "snapshots"),
        }
        for role, names in roles.items():
            found = next((name for name in names if name in schema.columns), "")
            if found:
                schema.tables[role] = found

    def _check_not_newer(self, schema: Schema) -> None:
        if not schema.has("migrations", "id", "name"):
            return
        newer = self.rows(
            "SELECT id, name FROM migrations WHERE id > %s ORDER BY id", (NEWEST_KNOWN_MIGRATION,)
        )
        if newer:
            names = ", ".join(str(row["name"]) for row in newer)
            raise SourceError(
                f"The source's schema is newer than this importer knows (up to migration "
                f"{NEWEST_KNOWN_MIGRATION:03d}); unknown migrations: {names}."
            )


def _first_line(error: Exception) -> str:
    text = re.sub(r"\s+", " ", str(error)).strip() or type(error).__name__
    return text[:500]
