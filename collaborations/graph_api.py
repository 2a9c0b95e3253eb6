"""The collaboration graph API: around one person, and across the whole network."""

from datetime import datetime, time

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from collaborations.graph import (
    DEFAULT_LIMIT,
    DEFAULT_NETWORK_LIMIT,
    MAX_LIMIT,
    MAX_NETWORK_LIMIT,
    ego_graph,
    network_graph,
)
from collaborations.selectors import cluster_state, cluster_summaries
from profiles.api import PersonFromPathMixin, UsernameField
from profiles.directory import directory_filters
from profiles.models import Person
from profiles.selectors import person_by_username

CLUSTERS_PER_PAGE = 25


class GraphNodeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    followers = serializers.IntegerField(allow_null=True)
    degree = serializers.IntegerField(help_text="Their collaborations in the part of the network read.")
    depth = serializers.IntegerField(allow_null=True, help_text="Steps from the person the graph is around.")
    cluster = serializers.IntegerField(allow_null=True, help_text="Their cluster (whole network only).")
    relationship = serializers.DictField(
        allow_null=True, help_text='The owner\'s relationship with them: {"type", "tier"}, or null.'
    )
    badges = serializers.ListField(
        child=serializers.DictField(), help_text='Badge attributes set on them: [{"key", "label", "color"}].'
    )


class GraphEdgeSerializer(serializers.Serializer):
    a = serializers.CharField()
    b = serializers.CharField()
    first_seen_at = serializers.DateTimeField()
    notes = serializers.CharField()
    weight = serializers.IntegerField(
        help_text="1 to 6, growing with how long the pair has been seen together."
    )


class GraphSerializer(serializers.Serializer):
    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)
    truncated = serializers.IntegerField(help_text="People of the selection left out by the limit.")


class ClusterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    component = serializers.IntegerField(help_text="The connected part of the network it belongs to.")
    size = serializers.IntegerField()
    members = serializers.ListField(child=serializers.CharField(), help_text="The most connected first.")
    more = serializers.IntegerField(help_text="Members not listed.")


class NetworkGraphSerializer(GraphSerializer):
    clusters = ClusterSerializer(many=True, help_text="A page of the network's clusters, largest first.")
    cluster_count = serializers.IntegerField()
    clusters_computed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the clusters were computed; null before they ever were."
    )
    clusters_pending = serializers.BooleanField(
        help_text="The network has changed since the clusters were computed (or they never were): "
        "the collaboration-clusters job will compute them again. Until then the clusters, and who "
        "is the most connected, are as they were computed."
    )


class QueryIntegerField(serializers.IntegerField):
    """A whole number given in the query string, where every value is text (the API's JSON
    integer fields take only JSON numbers)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().lstrip("-").isdigit():
            data = int(data)
        return super().to_internal_value(data)


class QuerySerializer(serializers.Serializer):
    """Query parameters, strictly: a parameter given empty is an error, not its default."""

    def to_internal_value(self, data):
        blank = {
            name: ["Give a value, or leave the parameter out."]
            for name in self.fields
            if data.get(name) == ""
        }
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)


class EgoGraphQuerySerializer(QuerySerializer):
    depth = serializers.ChoiceField(choices=[1, 2], default=1)
    limit = QueryIntegerField(min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT)


class NetworkGraphQuerySerializer(QuerySerializer):
    focus = UsernameField(required=False, help_text="Draw the graph around this person instead.")
    depth = serializers.ChoiceField(choices=[1, 2], default=2, help_text="With focus: how far from them.")
    cluster = QueryIntegerField(min_value=0, required=False, help_text="Only this cluster's people.")
    since = serializers.DateField(required=False, help_text="Only pairs first seen on or after this date.")
    limit = QueryIntegerField(min_value=1, max_value=MAX_NETWORK_LIMIT, default=DEFAULT_NETWORK_LIMIT)
    clusters_from = QueryIntegerField(
        min_value=0, default=0, help_text=f"The first cluster listed ({CLUSTERS_PER_PAGE} a page)."
    )

    def validate(self, attrs):
        # Like the directory page: a value none of the filter's choices has simply matches nobody.
        people = Person.objects.all()
        narrowed = False
        for directory_filter in directory_filters.all():
            value = self.initial_data.get(directory_filter.key)
            if value in (None, ""):
                continue
            people, narrowed = directory_filter.apply(people, value), True
        attrs["people"] = people if narrowed else None
        return attrs


def filter_parameters() -> list[OpenApiParameter]:
    """The directory's filters, which the whole-network graph takes too."""
    return [
        OpenApiParameter(
            f.key,
            str,
            description=f"Only people with this {f.label.lower()} (a value it does not have matches "
            "nobody; empty means any).",
        )
        for f in directory_filters.all()
    ]


class PersonCollaborationGraph(PersonFromPathMixin, APIView):
    """The person, their collaborators and (depth 2) their collaborators' collaborators."""

    @extend_schema(parameters=[EgoGraphQuerySerializer], responses=GraphSerializer)
    def get(self, request, username):
        query = EgoGraphQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        graph = ego_graph(
            self.person, depth=query.validated_data["depth"], limit=query.validated_data["limit"]
        )
        return Response(GraphSerializer(graph).data)


class NetworkGraph(APIView):
    """The whole collaboration network: the most connected people of a selection, and its clusters."""

    @extend_schema(
        parameters=[NetworkGraphQuerySerializer, *filter_parameters()],
        responses={
            200: NetworkGraphSerializer,
            404: OpenApiResponse(description="`focus` names nobody who has been seen."),
        },
    )
    def get(self, request):
        query = NetworkGraphQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(NetworkGraphSerializer(network_view(**query.validated_data)).data)


def network_view(
    *,
    focus=None,
    depth=2,
    cluster=None,
    since=None,
    limit=DEFAULT_NETWORK_LIMIT,
    clusters_from=0,
    people=None,
) -> dict:
    """What the whole-network graph shows for these choices: the graph and a page of clusters,
    as last computed (a request never computes them). Shared by the API and the /graph/ page."""
    state = cluster_state()
    if since is not None:  # the start of that day, where the owner is
        since = timezone.make_aware(datetime.combine(since, time.min))
    if focus:
        graph = ego_graph(person_by_username(focus), depth=depth, limit=limit)
    else:
        graph = network_graph(run=state.run, people=people, since=since, cluster=cluster, limit=limit)
    return {
        "nodes": graph.nodes,
        "edges": graph.edges,
        "truncated": graph.truncated,
        "clusters": cluster_summaries(state.run, start=clusters_from, count=CLUSTERS_PER_PAGE),
        "cluster_count": state.run.cluster_count if state.run else 0,
        "clusters_computed_at": state.run.computed_at if state.run else None,
        "clusters_pending": state.pending,
    }


urlpatterns = [
    path(
        "profile/<username:username>/collaborations/graph",
        PersonCollaborationGraph.as_view(),
        name="api-collaboration-graph",
    ),
    path("graph", NetworkGraph.as_view(), name="api-graph"),
]
