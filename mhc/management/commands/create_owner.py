import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the owner's login account (a superuser) if no account exists yet. The password comes "
        "from MHC_OWNER_PASSWORD, or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("MHC_OWNER_LOGIN", "owner"))

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            names = ", ".join(User.objects.filter(is_superuser=True).values_list("username", flat=True))
            self.stdout.write(f"Log in as: {names} (change a password with `manage.py changepassword NAME`).")
            return
        password = os.environ.get("MHC_OWNER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        if os.environ.get("MHC_OWNER_PASSWORD"):
            self.stdout.write(
                self.style.SUCCESS(f"Created account {username!r} with the password in MHC_OWNER_PASSWORD.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Created account {username!r} with password: {password}"))
            self.stdout.write(
                f"This password is shown only once; `manage.py changepassword {username}` sets a new one."
            )
