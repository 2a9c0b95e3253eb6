"""The login and second-factor set-up pages: django-two-factor-auth's wizards, answering a
tampered or incomplete form with a 400 instead of a 500.

Logging in is the password, then the authenticator app's code (or a recovery code); django-axes
counts the wrong passwords. URLs: `urls()` is django-two-factor-auth's own list with these two
views in place of its own.
"""

from django.core.exceptions import ValidationError
from django.urls import path
from two_factor import urls as two_factor_urls
from two_factor.views import LoginView as TwoFactorLoginView
from two_factor.views import SetupView as TwoFactorSetupView


class RefuseTamperedWizardMixin:
    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except ValidationError:
            # formtools raises this for a POST without the wizard's management form.
            self.storage.reset()
            response = self.render_goto_step(self.steps.first)
            response.status_code = 400
            return response


class LoginView(RefuseTamperedWizardMixin, TwoFactorLoginView):
    pass


class SetupView(RefuseTamperedWizardMixin, TwoFactorSetupView):
    pass


def urls():
    """Setting up the second factor, recovery codes, the account security page; the login page
    itself is mounted at /login/ by mhc.urls."""
    replaced = {"setup": SetupView.as_view()}
    patterns = [
        path(str(p.pattern), replaced.get(p.name, p.callback), name=p.name)
        for p in two_factor_urls.core + two_factor_urls.profile
        if p.name != "login"
    ]
    return patterns, "two_factor"
