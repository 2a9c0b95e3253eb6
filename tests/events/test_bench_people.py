from attributes.models import AttributeDefinition
from events import bench_people
from profiles.models import Person
from profiles.sections import sections
from relationships.sections import LISTED_BY_LIMIT

PEOPLE = 1 + bench_people.COLLABORATORS + bench_people.RELATIONSHIPS + bench_people.LISTED_BY


def test_the_heaviest_person_of_daily_use_has_something_in_every_section(auth_client, owner_user):
    people = bench_people.population(PEOPLE)
    star = Person.objects.with_profile().get(pk=people[0].pk)
    bench_people.heaviest(star, people[1:], owner_user)

    def section(key: str) -> str:
        return auth_client.get(f"/profile/{star.username}/sections/{key}/").content.decode()

    for key in (s.key for s in sections.all()):
        assert 'class="empty"' not in section(key), key
    attributes = section("attributes")
    assert attributes.count(' is-set"') == AttributeDefinition.objects.count()  # every one set …
    assert "Never changed." not in attributes  # … after a history of changes
    assert f"(the first {LISTED_BY_LIMIT})" in section("relationships")  # listed by more than it shows
