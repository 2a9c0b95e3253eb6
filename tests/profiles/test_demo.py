"""The demo has a renamed person, a pair of alternate accounts and a merge that can be undone."""

import pytest

from mhc.demo import load_demo
from profiles.models import AlternateAccount, FormerUsername, PersonMerge
from profiles.selectors import merge_undo_blockers
from profiles.services import person_merge_undo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_rename_alternates_and_an_undoable_merge_and_loads_once():
    load_demo()
    load_demo()
    assert FormerUsername.objects.get(username="marcus_v").person.username == "marcus_vega"
    link = AlternateAccount.objects.select_related("person_a", "person_b").get()
    assert {link.person_a.username, link.person_b.username} == {"leather_rex", "rex_after_dark"}
    merge = PersonMerge.objects.get()
    assert (merge.kept_username, merge.merged_username) == ("jon_doe", "jon_doe_two")
    assert merge_undo_blockers(merge) == []
    person_merge_undo(merge=merge)
    assert PersonMerge.objects.get().is_undone
