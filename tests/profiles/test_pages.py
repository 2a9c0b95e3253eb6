import pytest
from django.urls import reverse

from profiles.directory import DirectoryColumn, DirectoryFilter, directory_columns, directory_filters
from profiles.models import SectionPreference
from profiles.sections import Section, header_parts, page_assets, register_section, sections
from tests.factories import PersonFactory, ProfileFactory


@pytest.fixture
def extra_section():
    """A section registered the way other apps register theirs, removed afterwards."""
    section = register_section(
        Section(
            key="test-extra",
            title="Extra test section",
            order=55,
            template="profiles/sections/quick_stats.html",
        )
    )
    yield section
    sections._parts.pop(section.key)


@pytest.mark.django_db
def test_profile_page_renders_the_header_and_every_registered_section(auth_client, person, extra_section):
    response = auth_client.get(f"/profile/{person.username}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert person.username in html
    assert person.profile.display_name in html
    for section in sections.all():
        assert f'data-section="{section.key}"' in html
        assert section.title in html
    assert html.index("Quick stats") < html.index("Extra test section") < html.index("Activity log")


@pytest.mark.django_db
def test_profile_page_works_for_a_person_without_a_profile(auth_client, bare_person):
    assert auth_client.get(f"/profile/{bare_person.username}/").status_code == 200


@pytest.mark.django_db
def test_unknown_username_is_a_404_page(auth_client):
    response = auth_client.get("/profile/nobody_here/")
    assert response.status_code == 404
    assert b"Not found" in response.content


@pytest.mark.django_db
def test_an_address_no_page_has_says_so_in_words(auth_client):
    response = auth_client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is nothing at this address." in html
    assert "Resolver404" not in html  # not the name of Django's exception


@pytest.mark.django_db
def test_a_closed_section_is_not_rendered_until_opened(auth_client, owner_user, person):
    SectionPreference.objects.create(user=owner_user, section_key="quick-stats", is_open=False)
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert 'class="stats"' not in html
    body = auth_client.get(f"/profile/{person.username}/sections/quick-stats/")
    assert body.status_code == 200
    assert b'class="stats"' in body.content
    assert auth_client.get(f"/profile/{person.username}/sections/no-such/").status_code == 404


@pytest.mark.django_db
def test_closed_sections_cost_no_queries(auth_client, owner_user, person, django_assert_num_queries):
    for section in sections.all():
        SectionPreference.objects.create(user=owner_user, section_key=section.key, is_open=False)
    # session, user, person with profile, section states, and the header parts' own reads (one per
    # part but one, which reads what the page has already read)
    with django_assert_num_queries(3 + len(header_parts.all())):
        assert auth_client.get(f"/profile/{person.username}/").status_code == 200


@pytest.mark.django_db
def test_people_directory_searches_by_username_and_links_profiles(auth_client):
    ProfileFactory(person=PersonFactory(username="alex_lord_"))
    ProfileFactory(person=PersonFactory(username="bricktiger"))
    html = auth_client.get("/people/?q=Alex").content.decode()
    assert 'href="/profile/alex_lord_/"' in html
    assert "bricktiger" not in html


@pytest.mark.django_db
def test_people_directory_pages_through_everyone(auth_client, django_assert_num_queries):
    ProfileFactory.create_batch(120)
    # session, user, the count, the page, the attribute filter's choices, the latest-note
    # column, the attributes the bulk edit can set
    with django_assert_num_queries(7):
        first = auth_client.get("/people/").content.decode()
    assert "Page 1 of 3" in first
    assert first.count('href="/profile/person_') == 50
    last = auth_client.get("/people/?page=3").content.decode()
    assert last.count('href="/profile/person_') == 20
    assert auth_client.get("/people/?page=999").status_code == 200  # past the end: the last page


@pytest.mark.django_db
def test_directory_filters_and_columns_from_other_apps(auth_client):
    alex = ProfileFactory(person=PersonFactory(username="alex_lord_")).person
    ProfileFactory(person=PersonFactory(username="bricktiger"))
    directory_filters.register(
        DirectoryFilter(
            key="initial",
            label="Initial",
            order=1,
            choices=lambda: [("a", "A"), ("b", "B")],
            apply=lambda people, value: people.filter(username__startswith=value),
        )
    )
    directory_columns.register(
        DirectoryColumn(
            key="shout",
            title="Shout",
            order=1,
            template="profiles/sections/quick_stats.html",
            load=lambda people: {p.id: [] for p in people},
        )
    )
    try:
        html = auth_client.get("/people/?initial=a").content.decode()
        api = auth_client.get("/api/people?initial=b").json()
        schema = auth_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    finally:
        directory_filters._parts.pop("initial")
        directory_columns._parts.pop("shout")
    assert alex.username in html
    assert "bricktiger" not in html
    assert "<th>Shout</th>" in html
    # The API's people list takes the same filter, and its schema lists it.
    assert [p["username"] for p in api["results"]] == ["bricktiger"]
    parameters = schema["paths"]["/api/people"]["get"]["parameters"]
    assert "initial" in {p["name"] for p in parameters}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/people/", "/profile/someone/", "/profile/someone/sections/quick-stats/"])
def test_pages_send_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_admin_sends_anonymous_users_to_login(client):
    response = client.get("/admin/profiles/person/")
    assert response.status_code == 302
    assert "login" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/people", "/api/profile/someone", "/api/schema/"])
def test_api_answers_anonymous_scripts_with_401(client, url):
    response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.django_db
def test_login_page_looks_like_the_app(client):
    html = client.get("/login/").content.decode()
    assert "mhc/app.css" in html
    assert "Control Panel" in html


@pytest.mark.django_db
def test_admin_lists_and_searches_people(auth_client):
    PersonFactory(username="alex_lord_")
    PersonFactory(username="bricktiger")
    html = auth_client.get("/admin/profiles/person/?q=alex").content.decode()
    assert "alex_lord_" in html
    assert "bricktiger" not in html
    assert auth_client.get("/admin/profiles/profile/?q=alex").status_code == 200


@pytest.mark.django_db
def test_every_parts_assets_are_loaded_once_in_the_head_and_never_by_a_section(auth_client, person):
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    head = html.split("</head>")[0]
    stylesheets, scripts = page_assets()
    assert stylesheets
    assert scripts
    for path in [*stylesheets, *scripts]:
        assert html.count(f"/static/{path}") == 1
        assert f"/static/{path}" in head
    for section in sections.all():
        body = auth_client.get(f"/profile/{person.username}/sections/{section.key}/").content.decode()
        assert "<script" not in body
        assert 'rel="stylesheet"' not in body
