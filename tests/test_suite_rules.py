"""Rules of the test suite itself, checked over everything collected in this run."""


def test_every_transactional_test_restores_the_seeded_rows(request):
    transactional = [
        item
        for item in request.session.items
        if (marker := item.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    ]
    missing = [
        item.nodeid
        for item in transactional
        if not item.get_closest_marker("django_db").kwargs.get("serialized_rollback")
    ]
    assert not missing, f"transactional tests without serialized rollback: {missing}"
