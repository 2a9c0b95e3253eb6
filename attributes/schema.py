"""The OpenAPI schema's body for setting a person's attributes names the keys that exist.

Definitions are rows the owner adds and removes, so the keys are read when the schema is
served: a drf-spectacular post-processing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])
puts one boolean property per settable key and allows no others, which is what
`attributes_set` accepts.
"""

from django.db import DatabaseError

from attributes.models import AttributeDefinition

PATH = "/api/profile/{username}/attributes"
BULK_PATH = "/api/attributes/bulk"


def _bulk_key_enum(result: dict, keys: list[str]) -> None:
    """The bulk edit's `key` is one of the settable keys too (its body is a shared component)."""
    operation = result.get("paths", {}).get(BULK_PATH, {}).get("post") or {}
    components = result.get("components", {}).get("schemas", {})
    for content in operation.get("requestBody", {}).get("content", {}).values():
        reference = content["schema"].get("$ref", "")
        schema = components.get(reference.rsplit("/", 1)[-1], content["schema"])
        if "key" in schema.get("properties", {}):
            schema["properties"]["key"]["enum"] = keys


def settable_attribute_keys(result: dict, generator, request, public) -> dict:
    operation = result.get("paths", {}).get(PATH, {}).get("patch")
    if not operation:
        return result
    settable = AttributeDefinition.objects.filter(is_auto_derived=False).order_by("key")
    try:
        keys = list(settable.values_list("key", flat=True))
    except DatabaseError:
        return result  # no tables yet (system checks build the schema before `migrate`)
    _bulk_key_enum(result, keys)
    for content in operation.get("requestBody", {}).get("content", {}).values():
        schema = content["schema"]
        schema["properties"] = {key: {"type": "boolean"} for key in keys}
        if "why" not in keys:  # the reason for the change, kept in the history
            schema["properties"]["why"] = {"type": "string", "maxLength": 1000}
        schema["additionalProperties"] = False
    return result
