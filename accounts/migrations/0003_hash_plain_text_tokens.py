"""Tokens of DRF's plain-text token table become hashed API tokens, and the plain text is erased.

A script that used its old key keeps working: the key is hashed exactly as knox hashes a token it
is sent (SHA-512 of the text). The rows of `authtoken_token` are then deleted, so a copy of the
database holds no usable token. Going back cannot restore the plain text: the hashed tokens stay,
and an older release would need its tokens issued again (`manage.py api_token`).
"""

import hashlib
from datetime import UTC, datetime

from django.db import migrations
from django.utils import timezone

PLAIN_TEXT_TABLE = "authtoken_token"
KEY_PREFIX_LENGTH = 15  # knox's CONSTANTS.TOKEN_KEY_LENGTH: the part of a token used to look it up


def hash_plain_text_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if PLAIN_TEXT_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {PLAIN_TEXT_TABLE}")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        token = ApiToken(
            digest=hashlib.sha512(key.encode("utf-8")).hexdigest(),
            token_key=key[:KEY_PREFIX_LENGTH],
            user_id=user_id,
            name="Token from before tokens were hashed",
            expiry=None,
        )
        token.save()
        if isinstance(created, datetime) and timezone.is_naive(created):
            created = timezone.make_aware(created, UTC)
        ApiToken.objects.filter(pk=token.pk).update(created=created)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PLAIN_TEXT_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token")]

    operations = [migrations.RunPython(hash_plain_text_tokens, migrations.RunPython.noop)]
