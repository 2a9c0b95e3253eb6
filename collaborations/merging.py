"""How a merge of two people treats collaborations: a pair that ends up twice becomes one row,
first seen at the earlier date, with the notes of both."""

from profiles.merging.rules import MergeRule, pair_combine, register_merge_rule


def register() -> None:
    register_merge_rule(
        MergeRule(
            model="collaborations.collaboration",
            combine=lambda survivor, dropped, names: pair_combine(
                survivor, dropped, names, since="first_seen_at"
            ),
        )
    )
