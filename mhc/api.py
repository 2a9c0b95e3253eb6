"""The whole API in one place: every app's API urls, the schema and the interactive docs.

Paths have no trailing slash (`/api/profile/<username>/collaborations`); see docs/conventions.md.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("profiles.api")),
    # Before collaborations.api: ".../collaborations/graph" would otherwise read as a collaborator.
    path("", include("collaborations.graph_api")),
    path("", include("collaborations.api")),
    path("", include("relationships.api")),
    path("", include("media.api")),
    path("", include("attributes.api")),
    path("", include("notes.api")),
    path("", include("events.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The docs page loads its set-up script from `?script` instead of inline, for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
