"""The signed-in account's own API tokens: list, create (the key is shown once), revoke."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import ApiTokenForm
from accounts.selectors import api_tokens_of
from accounts.services import api_token_create, api_token_revoke
from mhc.auth import viewer_may_post


@viewer_may_post
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _, new_key = api_token_create(
            user=request.user, name=form.cleaned_data["name"], expires_in=form.expires_in
        )
        form = ApiTokenForm()
    context = {"tokens": api_tokens_of(request.user), "form": form, "new_key": new_key}
    return render(request, "accounts/token_list.html", context, status=201 if new_key else 200)


@viewer_may_post
@require_POST
def token_revoke(request, token_id):
    token = api_tokens_of(request.user).filter(public_id=token_id).first()
    if token is None:
        raise Http404("You have no such token.")
    api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked: scripts that send it are refused from now on.")
    return redirect("api-tokens")
