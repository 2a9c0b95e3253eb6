"""API tokens in the admin: who has which, when they expire and were last used; revoking is
deleting. New tokens are made on the /tokens/ page or with `manage.py api_token`, where the key
can be shown once. Login lock-outs are under "Axes"."""

from django.contrib import admin
from knox.models import AuthToken

from accounts.models import ApiToken

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)  # knox's own model is swapped for ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "token_key", "created", "expiry", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "token_key")
    list_filter = ("user",)
    fields = ("name", "user", "token_key", "created", "expiry", "last_used_at")
    readonly_fields = ("user", "token_key", "created", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False
