"""Source databases of both schema generations, built once per test module (the importer only
ever reads them)."""

import pytest

from tests.legacy.source import legacy_source


@pytest.fixture(scope="module")
def legacy_current():
    with legacy_source("current") as legacy:
        yield legacy


@pytest.fixture(scope="module")
def legacy_pre094():
    with legacy_source("pre094") as legacy:
        yield legacy


@pytest.fixture(params=["current", "pre094"])
def legacy(request):
    return request.getfixturevalue(f"legacy_{request.param}")
