"""The OpenAPI schema tells the truth about errors: every status an operation can answer with is
documented, each with the `{"detail": ...}` body."""

import pytest

pytestmark = pytest.mark.django_db

ERROR = {"$ref": "#/components/schemas/Error"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(api_client):
    return api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_documents_400_401_and_403_with_the_error_body(schema):
    for name, operation in operations(schema):
        for code in ("400", "401", "403"):
            assert operation["responses"][code]["content"]["application/json"]["schema"] == ERROR, name


def test_operations_that_name_something_in_their_path_document_404(schema):
    named = [(name, op) for name, op in operations(schema) if "{" in name]
    assert len(named) > 20
    for name, operation in named:
        assert "404" in operation["responses"], name


def test_an_error_a_view_documents_in_words_gets_the_error_body(schema):
    delete = schema["paths"]["/api/media/{media_id}"]["delete"]["responses"]
    assert delete["409"]["description"] == "Already deleted."
    assert delete["409"]["content"]["application/json"]["schema"] == ERROR


def test_domain_conflicts_and_refusals_are_documented(schema):
    paths = schema["paths"]
    assert "409" in paths["/api/attributes/definitions"]["post"]["responses"]
    assert "400" in paths["/api/attributes/definitions/{key}"]["delete"]["responses"]
    assert "409" in paths["/api/profile/{username}/relationships"]["post"]["responses"]
    assert "409" in paths["/api/profile/{username}/relationships/{id}"]["patch"]["responses"]
    assert "409" in paths["/api/profile/{username}/media"]["post"]["responses"]


def test_the_error_body_has_a_required_detail_and_optional_field_errors(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert set(error["properties"]) == {"detail", "errors"}
