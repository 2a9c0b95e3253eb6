"""Root URLs: the pages of each app, the admin, login, the health check, and the API under /api/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from accounts import two_factor
from mhc.health import healthz
from mhc.usernames import UsernameConverter

register_converter(UsernameConverter, "username")

admin.site.site_header = "MHC Control Panel"
admin.site.site_title = "MHC admin"
admin.site.index_title = "Manage"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", two_factor.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("", include(two_factor.urls())),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("mhc.api")),
    path("", include("accounts.urls")),
    path("", include("profiles.urls")),
    path("", include("relationships.urls")),
    path("", include("collaborations.urls")),
    path("", include("media.urls")),
]

handler403 = "mhc.views.permission_denied"
handler404 = "mhc.views.page_not_found"
handler500 = "mhc.views.server_error"
