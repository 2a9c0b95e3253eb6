"""The API's token authentication: knox's hashed tokens under the `Authorization: Token <key>`
scheme scripts already use, recording when each token was last used."""

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
