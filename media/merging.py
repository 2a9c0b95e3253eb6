"""How a merge of two people treats images: one primary image (the kept person's); the merged
person's primary stays in the gallery as an ordinary image. Files stay where they are."""

from profiles.merging.rules import MergeRule, StepOut, register_merge_rule


def register() -> None:
    register_merge_rule(
        MergeRule(
            model="media.mediarecord",
            yields={
                "media_mediarecord_one_live_primary_per_person": StepOut(
                    values={"is_primary": False},
                    conflict="both {keep} and {merge} have a primary image",
                    choice="{keep}'s stays primary; {merge}'s becomes an ordinary image",
                )
            },
        )
    )
