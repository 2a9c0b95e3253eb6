"""How the OpenAPI schema describes token authentication (`Authorization: Token <key>`)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API token from the /tokens/ page or `manage.py api_token`, sent as "
            "`Token <key>`.",
        }
