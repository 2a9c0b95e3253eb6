"""Which tables a backup holds, found in the app registry when it runs (so a model added to any
app is backed up without a change here), and the order they are restored in.

Left out, by label: logins (sessions), API tokens (credentials: a restored install makes new
ones), the content types and permissions that `migrate` creates on every install (rows that
point to them are written with their natural keys instead of ids), and this app's own import
journal. Proxy and unmanaged models have no table of their own to copy.
"""

from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from django.apps import apps
from django.db import models

EXCLUDED_MODELS = frozenset(
    {
        "sessions.session",
        "contenttypes.contenttype",
        "auth.permission",
        "authtoken.token",
        "knox.authtoken",
        "accounts.apitoken",
        # Second factors are secrets too: after a restore the owner sets up their app again.
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "otp_static.statictoken",
        # Failed-login records belong to the install they happened on.
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accesslog",
        "axes.accessfailurelog",
        "backups.importrun",
        "backups.importstep",
    }
)


@dataclass(frozen=True)
class TablePlan:
    """One table of a backup: its model, and the nullable foreign keys restored in a second
    pass (to the table itself, or breaking a cycle), after every row exists."""

    model: type[models.Model]
    deferred: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def file_name(self) -> str:
        return f"rows/{self.label}.jsonl"


def is_backed_up(model: type[models.Model]) -> bool:
    meta = model._meta
    return meta.managed and not meta.proxy and meta.label_lower not in EXCLUDED_MODELS


def backup_tables() -> list[TablePlan]:
    """Every backed-up table, each after the tables its foreign keys point to."""
    tables = [model for model in apps.get_models(include_auto_created=True) if is_backed_up(model)]
    return dependency_order(tables)


def _foreign_keys(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.local_concrete_fields if field.is_relation and field.remote_field]


def dependency_order(tables: list[type[models.Model]]) -> list[TablePlan]:
    """`tables` in an order where every foreign key points to an earlier table. A key to the
    table itself, or one that closes a cycle, must be nullable: it is deferred to a second pass."""
    included = {model._meta.label_lower: model for model in tables}
    deferred: dict[str, set[str]] = {label: set() for label in included}
    edges: dict[str, dict[str, list[models.Field]]] = {label: {} for label in included}
    for label, model in included.items():
        for field in _foreign_keys(model):
            target = field.remote_field.model._meta.concrete_model._meta.label_lower
            if target == label:
                deferred[label].add(_deferrable(field))
            elif target in included:
                edges[label].setdefault(target, []).append(field)
    while True:
        sorter = TopologicalSorter({label: set(targets) for label, targets in edges.items()})
        try:
            order = list(sorter.static_order())
            break
        except CycleError as error:
            # Each node of the reported cycle must come before the next one: the second one's
            # key to the first is the one put off.
            cycle = error.args[1]
            label, target = cycle[1], cycle[0]
            for field in edges[label].pop(target, []):
                deferred[label].add(_deferrable(field))
    return [TablePlan(included[label], tuple(sorted(deferred[label]))) for label in order]


def _deferrable(field: models.Field) -> str:
    if not field.null:
        raise ValueError(
            f"{field.model._meta.label}.{field.name} closes a loop of foreign keys and cannot be empty, "
            "so its rows have no order to be restored in."
        )
    return field.name
