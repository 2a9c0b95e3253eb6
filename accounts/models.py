"""API tokens: django-rest-knox's hashed tokens, plus a name, a public id and when last used.

Only a SHA-512 digest of each token is stored (knox), so a copy of the database holds no token
a script could use. The token itself is shown once, when it is created.
"""

import uuid

from django.db import models
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """One named API token of one account (knox's token model, see KNOX_TOKEN_MODEL)."""

    public_id = models.UUIDField("public id", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("name", max_length=100)
    last_used_at = models.DateTimeField("last used", null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        verbose_name_plural = "API tokens"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
