import pytest
from django.core.management import call_command

from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from attributes.selectors import attribute_value
from profiles.models import Person


@pytest.mark.django_db
def test_the_demo_shows_attributes_with_history_and_loads_only_once(owner_user):
    call_command("load_demo", verbosity=0)
    assert AttributeDefinition.objects.filter(key__in=["regular_tipper", "good_cam"]).count() == 2
    people = {person.username: person for person in Person.objects.all()}
    assert attribute_value(people["david_stain"], "banned_me")
    assert attribute_value(people["leather_rex"], "watch_list")
    assert (
        AttributeHistory.objects.filter(person=people["leather_rex"], attribute_key="watch_list").count() == 3
    )
    assert AttributeHistory.objects.filter(changed_by=owner_user).exists()
    # profile_smoke follows the demo profiles' smoke / drink ("Yes/No" smokes, "No/Yes" doesn't)
    assert attribute_value(people["alex_lord_"], "profile_smoke")
    assert not attribute_value(people["david_stain"], "profile_smoke")
    counts = (
        AttributeDefinition.objects.count(),
        PersonAttribute.objects.count(),
        AttributeHistory.objects.count(),
    )
    call_command("load_demo", verbosity=0)
    assert (
        AttributeDefinition.objects.count(),
        PersonAttribute.objects.count(),
        AttributeHistory.objects.count(),
    ) == counts
