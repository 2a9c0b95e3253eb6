"""The filters of a person's images, shared by the Images section's tabs and the API
(/api/profile/<username>/media): `?source=` (one source; empty means all) and `?state=` (live,
the default, or deleted). The section's "Deleted" tab is its own name for `state=deleted`."""

import django_filters
from django.http import QueryDict

from media.models import MediaRecord, MediaSource

LIVE, DELETED = "live", "deleted"


class MediaFilterSet(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(
        choices=MediaSource.choices,
        label="Only images from this source.",
        error_messages={"invalid_choice": "Source must be one of: " + ", ".join(MediaSource.values) + "."},
    )
    state = django_filters.ChoiceFilter(
        choices=[(LIVE, LIVE), (DELETED, DELETED)],
        method="filter_state",
        label="Live images (the default), primary first then newest, or soft-deleted ones, latest "
        "deleted first.",
        error_messages={"invalid_choice": "State must be live or deleted."},
    )

    class Meta:
        model = MediaRecord
        fields = ["source", "state"]

    def __init__(self, data=None, *args, **kwargs):
        # Without a state the list is of live images (a deleted one is listed only when asked for).
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("state"):
            data["state"] = LIVE
        super().__init__(data, *args, **kwargs)

    def filter_state(self, queryset, name: str, value: str):
        return queryset.listed(deleted=value == DELETED)

    @property
    def deleted(self) -> bool:
        return self.form.cleaned_data.get("state") == DELETED
