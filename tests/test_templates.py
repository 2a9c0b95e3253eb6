"""The templates themselves: what the template language would print by surprise."""

from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_no_template_comment_spans_lines():
    # `{# … #}` ends at the end of its line: a longer comment is printed as text on the page.
    spans = []
    for template in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in template.parts or "staticfiles" in template.parts:
            continue
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if "{#" in line and "#}" not in line.split("{#", 1)[1]:
                spans.append(f"{template.relative_to(ROOT)}:{number}")
    assert spans == []


@pytest.mark.django_db
def test_the_login_page_shows_no_template_source(client):
    body = client.get("/login/").content.decode()
    for source in ("{#", "#}", "{%"):
        assert source not in body
