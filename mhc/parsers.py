"""The API's JSON parser: DRF's, refusing hostile documents with a 400 instead of failing.

JSON nested a thousand levels deep made Python's decoder raise RecursionError (a 500), and a
document only a little less deep can exhaust the stack later, in validation or rendering. No
request of ours nests more than a few levels, so documents deeper than MAX_DEPTH are refused
before anything reads them.
"""

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

MAX_DEPTH = 32


def _depth(document) -> int:
    """How deeply lists and objects nest in a decoded document (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


class JSONParser(DRFJSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError:
            raise ParseError(f"JSON parse error - the body is not valid {encoding}.") from None
        try:
            document = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.") from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        if _depth(document) > MAX_DEPTH:
            raise ParseError(f"JSON parse error - nested more than {MAX_DEPTH} levels deep.")
        return document


def _refuse_constant(name: str):
    """NaN and Infinity are not JSON (Python's decoder accepts them)."""
    raise ValueError(f"{name} is not a JSON value")
