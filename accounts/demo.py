"""Demo data for accounts: the owner's API tokens page shows one named token.

No demo accounts are made: a login with a guessable password would let anyone in. The token's
key is thrown away (it cannot be shown again); the row shows what the page lists.
"""

from django.contrib.auth import get_user_model

from accounts.models import ApiToken
from accounts.services import api_token_create

DEMO_TOKEN_NAME = "Demo: nightly backup script"


def load(demo) -> None:
    owner = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if owner is None or ApiToken.objects.filter(user=owner, name=DEMO_TOKEN_NAME).exists():
        return
    api_token_create(user=owner, name=DEMO_TOKEN_NAME)
    demo.say(f"API token “{DEMO_TOKEN_NAME}” for {owner.get_username()} (see /tokens/)")
