"""How a merge of two people treats attributes: a value set on either is set on the merged
person (set wins), and the history of both is kept (it simply moves)."""

from profiles.merging.rules import MergeRule, Names, Resolution, Row, register_merge_rule


def _set_wins(survivor: Row, dropped: list[Row], names: Names) -> Resolution:
    key = survivor["attribute_id"]
    setters = [row for row in dropped if row["value"]]
    if survivor["value"] or not setters:
        return Resolution({}, (f"{key}: the kept value stays",))
    return Resolution(
        {"value": True, "set_at": setters[0]["set_at"]}, (f"{key}: set on one, not the other → set",)
    )


def _explain(row: Row, names: Names) -> str:
    if row["value"]:
        return f"{row['attribute_id']}: set on the merged person only → set"
    return ""


def register() -> None:
    register_merge_rule(MergeRule(model="attributes.personattribute", combine=_set_wins, explain=_explain))
