"""The API's token authentication: knox's hashed tokens under the `Authorization: Token <key>`
scheme scripts already use, recording when each token was last used."""

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

from accounts.services import api_token_mark_used


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            text = token.decode("utf-8")
        except UnicodeDecodeError:
            # A header with bytes that are not UTF-8 is simply not one of our tokens.
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        user, auth_token = super().authenticate_credentials(text.encode("utf-8"))
        api_token_mark_used(token=auth_token)
        return user, auth_token

    def _cleanup_token(self, auth_token) -> bool:
        """Whether this token has expired (it is then deleted). Knox also scans all the user's
        other tokens on every request to delete expired ones; that costs a query per request,
        and expired tokens are refused and hidden from the token page anyway."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
