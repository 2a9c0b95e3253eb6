"""Pages: the whole collaboration network (`/graph/`)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from collaborations.graph_api import (
    CLUSTERS_PER_PAGE,
    GraphSerializer,
    NetworkGraphQuerySerializer,
    network_view,
)
from profiles.directory import directory_filters

# The form's labels, so that an error names the field as the page does.
LABELS = {"focus": "Jump to a person", "depth": "Around them", "since": "Seen together since"}


def _label(field: str) -> str:
    filters = {f.key: f.label for f in directory_filters.all()}
    return LABELS.get(field) or filters.get(field) or field.replace("_", " ").capitalize()


@require_GET
def network(request: HttpRequest) -> HttpResponse:
    """The network: a search to jump to a person, the directory's filters, a date, a cluster; the
    graph drawn in the browser from the same data the tables below it list."""
    # The form sends every field, the ones left empty too: those mean "no choice".
    query = NetworkGraphQuerySerializer(
        data={key: value for key, value in request.GET.items() if value != ""}
    )
    errors, view = {}, None
    if query.is_valid():
        try:
            view = network_view(**query.validated_data)
        except Http404 as missing:
            errors = {"focus": [str(missing)]}
    else:
        errors = query.errors
    start = query.validated_data.get("clusters_from", 0) if view else 0
    return render(
        request,
        "collaborations/network.html",
        {
            "view": view,
            "graph_json": GraphSerializer(view).data if view else None,
            "errors": [
                f"{_label(field)}: {' '.join(map(str, messages))}" for field, messages in errors.items()
            ],
            "filters": [(f, request.GET.get(f.key, ""), f.choices()) for f in directory_filters.all()],
            "values": request.GET,
            "previous_clusters": max(start - CLUSTERS_PER_PAGE, 0) if start else None,
            "next_clusters": start + CLUSTERS_PER_PAGE
            if view and start + CLUSTERS_PER_PAGE < view["cluster_count"]
            else None,
        },
    )
