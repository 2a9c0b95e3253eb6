"""The demo shows the "From the original" section; the section reads the same for anyone's page."""

import pytest
from django.core.management import call_command

from legacy.models import LegacyDetails, LegacyRecord

pytestmark = pytest.mark.django_db
# The session, the user, the person with their profile, then the two reads of the section
# (details, kept-aside counts).
SECTION_QUERIES = 5


def test_the_demo_has_a_person_with_values_from_the_original_and_is_idempotent(auth_client):
    call_command("load_demo", stdout=None)
    counts = (LegacyDetails.objects.count(), LegacyRecord.objects.count())
    call_command("load_demo", stdout=None)
    assert (LegacyDetails.objects.count(), LegacyRecord.objects.count()) == counts == (1, 2)
    page = auth_client.get("/profile/alex_lord_/")
    assert "From the original" in page.content.decode()
    section = auth_client.get("/profile/alex_lord_/sections/from-the-original/").content.decode()
    assert "Alexander" in section
    assert "IRL name" in section
    assert "Friend tier" in section
    assert "interactions: 1" in section
    assert "profile_usernames: 1" in section


def test_a_person_with_nothing_from_the_original_says_so(auth_client, person):
    section = auth_client.get(f"/profile/{person.username}/sections/from-the-original/")
    assert section.status_code == 200
    assert f"Nothing from the original for {person.username}." in section.content.decode()


def test_the_section_reads_in_a_constant_number_of_queries(auth_client, person, django_assert_num_queries):
    url = f"/profile/{person.username}/sections/from-the-original/"
    auth_client.get(url)
    with django_assert_num_queries(SECTION_QUERIES):
        auth_client.get(url)
    for number in range(5):
        LegacyRecord.objects.create(
            source_table=f"t{number}", source_key="1", row={}, reason="x", person=person
        )
        LegacyDetails.objects.create(source_table=f"t{number}", source_key="1", data={"a": 1}, person=person)
    with django_assert_num_queries(SECTION_QUERIES):
        auth_client.get(url)


def test_kept_aside_rows_are_browsable_and_searchable_in_the_admin(auth_client):
    call_command("load_demo", stdout=None)
    listing = auth_client.get("/admin/legacy/legacyrecord/", {"q": "alexlord"})
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "profile_usernames" in text
    assert "interactions" not in text.split("</thead>")[-1].split("</table>")[0]
    record = LegacyRecord.objects.get(source_table="interactions")
    assert auth_client.get(f"/admin/legacy/legacyrecord/{record.pk}/change/").status_code == 200
    assert auth_client.get("/admin/legacy/legacydetails/", {"q": "Alexander"}).status_code == 200
    assert auth_client.get("/admin/legacy/importprogress/").status_code == 200
