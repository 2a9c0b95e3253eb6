"""The whole API, fuzzed against its own OpenAPI schema: no input gives a 500, and every answer
is one the schema documents (its status code, JSON content type and body shape).

Schemathesis generates requests for every operation, valid ones and broken ones, and calls the
app in-process through WSGI with the owner's API token, on the demo data. Path parameters are
pinned to rows that exist, so valid requests get past the 404 to the code that does the work.
The run is derandomized: the same requests every time, so it cannot flake, and a failure names
the operation with a curl line to reproduce it. It is a compact safety net (about
EXAMPLES_PER_OPERATION of each kind per operation); for a real hunt, serve the app and run
`schemathesis run http://127.0.0.1:8000/api/schema/ -H "Authorization: Token <key>"`.

One test walks the operations itself rather than using schemathesis' pytest plugin: the plugin's
fixture-made schemas rely on a pytest attribute that pytest 9 removed, and one test loads the
demo data once. It is transactional because Django's WSGI handler closes the database connection
after each request (the test client prevents that; schemathesis' WSGI client does not).
"""

import copy

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from attributes.models import AttributeDefinition
from collaborations.models import Collaboration
from media.models import MediaRecord
from mhc.demo import load_demo
from notes.models import Note
from profiles.models import AlternateAccount, PersonMerge
from profiles.sections import sections
from relationships.models import Relationship

EXAMPLES_PER_OPERATION = 20
# Rules the schema cannot state, by operation and generation mode: the check left out there and
# why. Every other check still runs on these operations, and every check on all the others.
SCHEMA_CANNOT_SAY = {
    ("POST /api/profile/{username}/collaborations", "positive"): (
        "positive_data_acceptance",
        "nobody is their own collaborator: a rule across the path and the body",
    ),
    ("POST /api/people/merge", "positive"): (
        "positive_data_acceptance",
        "keep and merge must be two different people already seen: a rule across two fields and "
        "on stored data",
    ),
    ("POST /api/profile/{username}/alternates", "positive"): (
        "positive_data_acceptance",
        "the other account must be someone already seen, and not the person themself: a rule on "
        "stored data and across the path and the body",
    ),
    ("POST /api/profile/{username}/rename", "positive"): (
        "positive_data_acceptance",
        "the new name must differ from the person's current one, which the path may not show (a "
        "former name reaches them too): a rule across the body and the stored row",
    ),
    ("POST /api/collaborations/groups", "positive"): (
        "positive_data_acceptance",
        "a group needs two different people once names are trimmed and lower-cased: a rule across "
        "the items of a list",
    ),
    ("POST /api/events/{event_id}/undo", "positive"): (
        "positive_data_acceptance",
        "whether an event can be undone depends on the stored event and the state since (an id a "
        "generated request hits may be a derived attribute's change, or undone already)",
    ),
    ("POST /api/profile/{username}/media", "positive"): (
        "positive_data_acceptance",
        "an upload must be a real image; the schema can only say 'binary'",
    ),
    ("POST /api/profile/{username}/notes", "positive"): (
        "positive_data_acceptance",
        "source_url must pass Django's URL validator, stricter than format: uri",
    ),
    ("PATCH /api/profile/{username}/notes/{note_id}", "positive"): (
        "positive_data_acceptance",
        "source_url must pass Django's URL validator, stricter than format: uri",
    ),
    ("PATCH /api/profile/{username}/relationships/{id}", "positive"): (
        "positive_data_acceptance",
        "a relationship cannot end before it started: a rule across two fields and the stored row",
    ),
    ("POST /api/profile/{username}/relationships", "positive"): (
        "positive_data_acceptance",
        "a relationship cannot end before it started: a rule across two fields",
    ),
}

# Every check schemathesis has, including "invalid request accepted" (negative_data_rejection)
# and "valid request refused" (positive_data_acceptance): the schema says what the code does.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
    use_after_free,
    ensure_resource_availability,
]


def _pin(raw: dict, path: str, **values: list) -> None:
    """Valid cases for `path` use only these path parameters (invalid ones still stray)."""
    for operation in raw["paths"][path].values():
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] in values:
                parameter["schema"] = {**parameter["schema"], "enum": values[parameter["name"]]}


@pytest.fixture
def api_schema(owner_user):
    """Our schema on the demo data, with path parameters pinned to rows that exist."""
    demo = load_demo()
    client = APIClient()
    client.force_authenticate(owner_user)
    raw = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    # Invalid requests are generated from the schema as served: a path parameter outside the
    # pinned rows below is not an invalid request, only one naming nobody (a 404 or a new row).
    unpinned = schemathesis.openapi.from_dict(copy.deepcopy(raw))
    unpinned.app = WSGIHandler()
    for path in raw["paths"]:
        _pin(raw, path, username=sorted(demo.people))
    note = Note.objects.select_related("profile__person").first()
    _pin(
        raw,
        "/api/profile/{username}/notes/{note_id}",
        username=[note.profile.person.username],
        note_id=list(note.profile.notes.values_list("id", flat=True)),
    )
    relationship = Relationship.objects.select_related("profile__person").first()
    _pin(
        raw,
        "/api/profile/{username}/relationships/{id}",
        username=[relationship.profile.person.username],
        id=list(relationship.profile.relationships.values_list("id", flat=True)),
    )
    collaboration = Collaboration.objects.select_related("person_a", "person_b").first()
    _pin(
        raw,
        "/api/profile/{username}/collaborations/{collaborator_username}",
        username=[collaboration.person_a.username],
        collaborator_username=[collaboration.person_b.username],
    )
    media_ids = [str(pk) for pk in MediaRecord.objects.values_list("id", flat=True)]
    for path in ("/api/media/{media_id}", "/api/media/{media_id}/primary", "/api/media/{media_id}/restore"):
        _pin(raw, path, media_id=media_ids)
    # System attributes only: a DELETE is then refused (409) and every key the schema lists for
    # setting attributes still exists when later operations use it.
    _pin(
        raw,
        "/api/attributes/definitions/{key}",
        key=list(AttributeDefinition.objects.filter(is_system=True).values_list("key", flat=True)),
    )
    _pin(raw, "/api/ui/sections/{key}", key=[section.key for section in sections.all()])
    alternate = AlternateAccount.objects.select_related("person_a", "person_b").first()
    _pin(
        raw,
        "/api/profile/{username}/alternates/{other}",
        username=[alternate.person_a.username],
        other=[alternate.person_b.username],
    )
    _pin(raw, "/api/merges/{merge_id}/undo", merge_id=list(PersonMerge.objects.values_list("id", flat=True)))
    pinned = schemathesis.openapi.from_dict(raw)
    pinned.app = WSGIHandler()
    return {GenerationMode.POSITIVE: pinned, GenerationMode.NEGATIVE: unpinned}


def _fuzz(operation, mode: GenerationMode, headers: dict) -> None:
    """Send EXAMPLES_PER_OPERATION generated requests; raises on the first failing check."""
    left_out = SCHEMA_CANNOT_SAY.get((operation.label, mode.value), ("",))[0]
    checks = [check for check in CHECKS if check.__name__ != left_out]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(headers=headers, checks=checks)

    call()


@pytest.mark.django_db(transaction=True)
def test_no_input_gives_a_500_and_every_answer_is_documented(api_schema, owner_token):
    headers = {"Authorization": f"Token {owner_token}"}
    failures = []
    for mode, schema in api_schema.items():
        for operation in (result.ok() for result in schema.get_all_operations()):
            try:
                _fuzz(operation, mode, headers)
            except Unsatisfiable:
                continue  # no invalid request exists (the path takes any slug): nothing to send
            except (Exception, BaseExceptionGroup) as failure:
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)
