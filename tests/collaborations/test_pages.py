from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from collaborations.models import Collaboration
from collaborations.selectors import are_collaborators, collaborators_of
from collaborations.services import collaboration_add, collaboration_remove, collaboration_update
from profiles.models import Person, SectionPreference
from tests.collaborations.conftest import MANY
from tests.factories import CollaborationFactory, PersonFactory


def section(client, username: str, key: str = "collaborators") -> str:
    response = client.get(f"/profile/{username}/sections/{key}/")
    assert response.status_code == 200
    return response.content.decode()


def admin_add(client, person_a, person_b, *, notes: str = ""):
    """The admin's add-collaboration form posted for this pair, first seen 2024-01-15 21:00."""
    return client.post(
        "/admin/collaborations/collaboration/add/",
        {
            "person_a": person_a.pk,
            "person_b": person_b.pk,
            "notes": notes,
            "first_seen_at_0": "2024-01-15",
            "first_seen_at_1": "21:00:00",
        },
    )


@pytest.mark.django_db
def test_the_section_is_collapsed_on_the_profile_page_until_opened(auth_client, person):
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert 'data-section="collaborators"' in html
    assert ">Collaborators</summary>" in html
    assert 'id="collaborators-list"' not in html
    assert html.index(">Quick stats<") < html.index(">Collaborators<") < html.index(">Activity log<")


@pytest.mark.django_db
def test_an_open_section_is_rendered_with_the_page(auth_client, owner_user, person):
    SectionPreference.objects.create(user=owner_user, section_key="collaborators", is_open=True)
    collaboration_add(person=person, other=PersonFactory(username="david_stain"))
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert 'href="/profile/david_stain/"' in html


@pytest.mark.django_db
def test_the_section_lists_collaborators_from_both_sides_with_links_notes_and_remove_buttons(
    auth_client, alex, david
):
    collaboration_add(person=david, other=alex, notes="seen together 2024-01-15")
    html = section(auth_client, "alex_lord_")
    assert "1 collaborator<" in html
    assert 'href="/profile/david_stain/"' in html
    assert "David" in html
    assert "seen together 2024-01-15" in html
    assert 'data-url="/api/profile/alex_lord_/collaborations/david_stain"' in html
    assert 'data-confirm="Remove david_stain from alex_lord_\'s collaborators?"' in html
    assert 'href="/profile/alex_lord_/"' in section(auth_client, "david_stain")


@pytest.mark.django_db
def test_the_add_modal_posts_to_the_api_with_username_autocomplete(auth_client, person):
    html = section(auth_client, person.username)
    assert "No collaborators yet" in html
    assert f'data-url="/api/profile/{person.username}/collaborations"' in html
    assert 'data-autocomplete="people" list="collaborator-suggestions"' in html
    assert '<datalist id="collaborator-suggestions">' in html
    assert 'data-refresh-section="collaborators activity"' in html


@pytest.mark.django_db
def test_the_section_of_a_popular_person_takes_a_flat_number_of_queries(
    auth_client, popular_person, django_assert_num_queries
):
    # session + user + the person + the collaborators
    with django_assert_num_queries(4):
        html = section(auth_client, popular_person.username)
    assert f"{MANY} collaborators" in html
    assert html.count('data-api-action data-method="DELETE"') == MANY


@pytest.mark.django_db
def test_an_addition_and_its_removal_both_stay_in_the_activity_log_of_both_profiles(auth_client, alex, david):
    collaboration_add(person=alex, other=david, notes="seen together 2024-01-15")
    collaboration_remove(person=david, other=alex)
    for username in ("alex_lord_", "david_stain"):
        html = section(auth_client, username, "activity")
        assert "Collaboration added: alex_lord_ and david_stain" in html
        assert "Collaboration removed: david_stain and alex_lord_" in html


@pytest.mark.django_db
def test_admin_lists_collaborations_and_searches_by_either_username(auth_client, django_assert_num_queries):
    CollaborationFactory(
        person_a=PersonFactory(username="alex_lord_"), person_b=PersonFactory(username="zz_top")
    )
    CollaborationFactory(
        person_a=PersonFactory(username="mattiufr"), person_b=PersonFactory(username="marco_roma")
    )
    CollaborationFactory.create_batch(20)
    with django_assert_num_queries(7):
        html = auth_client.get("/admin/collaborations/collaboration/").content.decode()
    assert "alex_lord_" in html
    assert "marco_roma" in html
    for query, shown, hidden in [("zz_top", "alex_lord_", "mattiufr"), ("marco", "mattiufr", "alex_lord_")]:
        html = auth_client.get(f"/admin/collaborations/collaboration/?q={query}").content.decode()
        assert shown in html
        assert hidden not in html


@pytest.mark.django_db
def test_admin_adds_a_pair_picked_in_either_order(auth_client):
    first, second = PersonFactory(), PersonFactory()
    for person_a, person_b in [(first, second), (second, first)]:
        Collaboration.objects.all().delete()
        response = admin_add(auth_client, person_a, person_b, notes="seen in the admin")
        assert response.status_code == 302, response.content.decode()[:2000]
        assert are_collaborators(first, second)
        assert Collaboration.objects.get().notes == "seen in the admin"


@pytest.mark.django_db
def test_admin_refuses_a_self_pair_and_a_duplicate(auth_client):
    collaboration = CollaborationFactory()
    person = collaboration.person_a
    cases = [(person, person, "own collaborator"), (collaboration.person_b, person, "already collaborators")]
    for person_a, person_b, message in cases:
        response = admin_add(auth_client, person_a, person_b)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert Collaboration.objects.count() == 1


@pytest.mark.django_db
def test_admin_edits_notes_of_a_collaboration(auth_client):
    collaboration = CollaborationFactory(notes="old")
    response = auth_client.post(
        f"/admin/collaborations/collaboration/{collaboration.pk}/change/",
        {"notes": "", "first_seen_at_0": "2024-03-02", "first_seen_at_1": "23:30:00"},
    )
    assert response.status_code == 302
    collaboration.refresh_from_db()
    assert collaboration.notes == ""
    assert collaboration.first_seen_at.date().isoformat() == "2024-03-02"


@pytest.mark.django_db
def test_demo_data_has_collaborations_and_loading_it_twice_adds_nothing():
    out = StringIO()
    call_command("load_demo", stdout=out)
    rows = Collaboration.objects.count()
    assert rows >= 6
    alex = Person.objects.get(username="alex_lord_")
    assert {c.username for c in collaborators_of(alex)} >= {"david_stain", "bricktiger"}
    jay = Person.objects.get(username="jay_and_lee")
    assert len(collaborators_of(jay)) == 2
    assert "seen together 2024-01-15" in {c.notes for c in collaborators_of(alex)}
    before = list(Collaboration.objects.order_by("pk").values())
    second = StringIO()
    call_command("load_demo", stdout=second)
    assert list(Collaboration.objects.order_by("pk").values()) == before
    assert "collaboration" not in second.getvalue()


@pytest.mark.django_db
def test_loading_the_demo_again_keeps_what_the_owner_changed_in_demo_collaborations():
    call_command("load_demo", stdout=StringIO())
    people = {p.username: p for p in Person.objects.all()}
    pair = Collaboration.objects.between(people["alex_lord_"], people["david_stain"]).get()
    in_group = Collaboration.objects.between(people["jay_and_lee"], people["leather_rex"]).get()
    later = pair.first_seen_at + timedelta(days=3)
    collaboration_update(collaboration=pair, notes="my own words", first_seen_at=later)
    collaboration_update(collaboration=in_group, notes="", first_seen_at=in_group.first_seen_at)
    call_command("load_demo", stdout=StringIO())  # run again, as the owner may
    pair.refresh_from_db()
    in_group.refresh_from_db()
    assert (pair.notes, pair.first_seen_at) == ("my own words", later)
    assert in_group.notes == ""
