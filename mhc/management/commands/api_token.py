from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiToken
from accounts.services import DEFAULT_TOKEN_LIFETIME, api_token_create, api_token_revoke
from events.context import Actor, acting_as


class Command(BaseCommand):
    help = (
        "Create a named API token for a user and print it, for scripts: send "
        "`Authorization: Token <key>`. Tokens are stored hashed, so this is the only time the key "
        "is shown; list and revoke them on the /tokens/ page or in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--name", default="Command line", help="What the token is for (default: %(default)s)."
        )
        lifetime = parser.add_mutually_exclusive_group()
        lifetime.add_argument(
            "--days",
            type=int,
            default=DEFAULT_TOKEN_LIFETIME.days,
            help="Days until it expires (default: %(default)s).",
        )
        lifetime.add_argument("--never-expires", action="store_true", help="A token that never expires.")
        parser.add_argument(
            "--rotate", action="store_true", help="Revoke the user's tokens of the same name first."
        )

    def handle(self, *args, username, name, days, never_expires, rotate, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None
        if not name.strip():
            raise CommandError("Give the token a name (--name).")
        if days < 1:
            raise CommandError("--days must be at least 1.")
        with acting_as(Actor.command("api_token")):
            if rotate:
                for token in ApiToken.objects.filter(user=user, name=name.strip()):
                    api_token_revoke(token=token)
            _, key = api_token_create(
                user=user, name=name, expires_in=None if never_expires else timedelta(days=days)
            )
        self.stdout.write(key)
