import pytest

from attributes.derivation import smokes


@pytest.mark.parametrize(
    "smoke_drink",
    [
        "Yes/No",
        "yes/yes",
        "Sometimes / Yes",
        "Yeah/No",
        "YEAH / sometimes",
        "  Sometimes/No",
        "Yes",
        "yes, a lot/no",
    ],
)
def test_the_smoking_half_saying_yes_yeah_or_sometimes_means_smokes(smoke_drink):
    assert smokes(smoke_drink) is True


@pytest.mark.parametrize(
    "smoke_drink",
    ["No/Yes", "no / sometimes", "Never/Yes", "", "   ", "/Yes", "Yesterday/No", "N/A", "No", "nope/yes"],
)
def test_anything_else_means_does_not_smoke(smoke_drink):
    assert smokes(smoke_drink) is False


def test_missing_text_means_does_not_smoke():
    assert smokes(None) is False
