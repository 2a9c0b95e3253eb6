"""Admin screens of the media library. Integrity fields (storage key, SHA-256, size) are read-only,
and every change with a side effect on files goes through the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from media.maintenance.overview import media_overview, report_file, similar_groups_live, similar_report_latest
from media.maintenance.similar import similar_quarantine
from media.models import AffiliateSnapshot, MediaJob, MediaMove, MediaRecord, PlaceholderHash
from media.selectors import media_job_status
from media.services import (
    JobsStillWorking,
    jobs_start,
    jobs_stop_and_wait,
    media_hard_delete,
    media_restore,
    media_set_primary,
    media_soft_delete,
)
from media.services.restores import media_restore_quarantined, quarantined_files
from mhc.exceptions import Conflict, ValidationError

# The admin waits less than the command does: a web request should not hang for a minute.
ADMIN_STOP_WAIT_SECONDS = 10


class LiveFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", "Live"), ("deleted", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.live()
        if self.value() == "deleted":
            return queryset.deleted()
        return queryset


def _thumbnail(record: MediaRecord | None, size: int = 56):
    if record is None:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="width:{}px;height:{}px;object-fit:cover;border-radius:4px">',
        record.get_absolute_url(),
        size,
        size,
    )


def _each(modeladmin, request, queryset, service, done: str) -> None:
    changed, problems = 0, []
    for record in queryset.select_related("person"):
        try:
            service(record=record)
            changed += 1
        except Conflict as error:  # a MoveError among them
            problems.append(f"{record}: {error}")
    if changed:
        modeladmin.message_user(request, f"{done}: {changed}.", messages.SUCCESS)
    for problem in problems:
        modeladmin.message_user(request, problem, messages.ERROR)


@admin.register(MediaRecord)
class MediaRecordAdmin(admin.ModelAdmin):
    list_display = [
        "preview",
        "person",
        "source",
        "is_primary",
        "size_bytes",
        "dimensions",
        "created_at",
        "deleted_at",
    ]
    list_display_links = ["preview", "person"]
    list_filter = ["source", LiveFilter, "is_primary", "mime_type"]
    list_select_related = ["person"]
    search_fields = ["person__username", "=sha256", "file_path", "original_filename"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "preview_large",
        "id",
        "person",
        "source",
        "file_path",
        "sha256",
        "size_bytes",
        "mime_type",
        "width",
        "height",
        "source_url",
        "original_filename",
        "is_primary",
        "captured_at",
        "created_at",
        "deleted_at",
    ]
    actions = ["make_primary", "soft_delete", "restore"]

    def get_urls(self):
        view = self.admin_site.admin_view  # staff only, like every admin page
        return [
            path("overview/", view(self.overview_view), name="media_mediarecord_overview"),
            path("quarantine/", view(self.quarantine_view), name="media_mediarecord_quarantine"),
            path("similar/", view(self.similar_view), name="media_mediarecord_similar"),
            # <path:…> so that a name with a separator reaches report_view and is refused there,
            # rather than falling through to the change view's catch-all.
            path("reports/<path:name>", view(self.report_view), name="media_mediarecord_report"),
            *super().get_urls(),
        ]

    def overview_view(self, request):
        """The media library at a glance: counts, duplicates, quarantine, latest reports."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Media overview",
            "opts": self.model._meta,
            "overview": media_overview(),
        }
        return TemplateResponse(request, "admin/media/overview.html", context)

    def quarantine_view(self, request):
        """The quarantine, a page at a time, with "Restore selected" (`media_restore_quarantined`)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            self._restore_quarantined(request, request.POST.getlist("keys"))
            return HttpResponseRedirect(request.get_full_path())
        files, next_after = quarantined_files(after=request.GET.get("after", ""))
        context = {
            **self.admin_site.each_context(request),
            "title": "Quarantine",
            "opts": self.model._meta,
            "files": files,
            "next_after": next_after,
            "can_restore": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/media/quarantine.html", context)

    def _restore_quarantined(self, request, keys: list[str]) -> None:
        if not keys:
            self.message_user(request, "Select the files to restore.", messages.WARNING)
        for key in keys:
            try:
                outcome = media_restore_quarantined(key=key)
            except (ValidationError, Conflict) as error:  # a MoveError is a Conflict
                text = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{key}: not restored: {text}", messages.ERROR)
                continue
            self.message_user(request, f"{key}: {outcome.action} → {outcome.target}.", messages.SUCCESS)

    def similar_view(self, request):
        """The groups of near-duplicate pictures of the newest media_similar report, to quarantine
        those the owner ticks (never automatically)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        report, data = similar_report_latest()
        groups = data.get("groups", []) if data else []
        if request.method == "POST":
            if not self.has_change_permission(request):
                raise PermissionDenied
            chosen = set(request.POST.getlist("images"))
            if not chosen:
                self.message_user(request, "No picture was ticked; nothing changed.", messages.WARNING)
            else:
                try:
                    removed, problems = similar_quarantine(groups=groups, chosen_ids=chosen)
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(request, f"Quarantined {removed} picture(s).", messages.SUCCESS)
                    for problem in problems:
                        self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Similar images",
            "opts": self.model._meta,
            "report": report,
            "distance": data.get("distance") if data else None,
            "groups": similar_groups_live(groups),
            "can_change": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/media/similar.html", context)

    def report_view(self, request, name: str):
        """Download one report of REPORTS_DIR, named by its plain file name."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = report_file(name)
        if report is None:
            raise Http404("No such report.")
        return FileResponse(report.open("rb"), as_attachment=True, filename=report.name)

    @admin.display(description="image")
    def preview(self, record):
        return _thumbnail(record)

    @admin.display(description="image")
    def preview_large(self, record):
        return _thumbnail(record, 240)

    @admin.display(description="size")
    def dimensions(self, record):
        return f"{record.width} x {record.height}" if record.width else "—"

    def has_add_permission(self, request):
        return False  # images come in through uploads on the page or the API, and the jobs

    def has_delete_permission(self, request, obj=None):
        # Removing a record for good is allowed only once it is soft-deleted (its file is then
        # in quarantine); delete_model/delete_queryset call the service.
        return obj is None or obj.is_deleted

    def delete_model(self, request, obj):
        media_hard_delete(record=obj)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            try:
                media_hard_delete(record=record)
            except Conflict as error:
                self.message_user(request, f"{record}: {error}", messages.ERROR)

    @admin.action(description="Make primary")
    def make_primary(self, request, queryset):
        _each(self, request, queryset, media_set_primary, "Made primary")

    @admin.action(description="Delete (move files to quarantine)")
    def soft_delete(self, request, queryset):
        _each(self, request, queryset, media_soft_delete, "Deleted")

    @admin.action(description="Restore deleted images")
    def restore(self, request, queryset):
        _each(self, request, queryset, media_restore, "Restored")


@admin.register(AffiliateSnapshot)
class AffiliateSnapshotAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "observed_at",
        "num_users",
        "num_followers",
        "current_show",
        "room_subject",
        "image",
    ]
    list_filter = ["current_show", "is_hd"]
    list_select_related = ["person", "media_locator"]
    search_fields = ["person__username", "room_subject"]
    date_hierarchy = "observed_at"
    raw_id_fields = ["person", "media_locator"]

    @admin.display(description="image")
    def image(self, snapshot):
        return _thumbnail(snapshot.media_locator, 40)

    def has_add_permission(self, request):
        return False  # snapshots are what the affiliate API said; only polling records them

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlaceholderHash)
class PlaceholderHashAdmin(admin.ModelAdmin):
    list_display = ["sha256", "size_bytes", "note", "created_at"]
    search_fields = ["=sha256", "note"]


@admin.register(MediaMove)
class MediaMoveAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "state", "source_key", "target_key", "size_bytes"]
    list_filter = ["state", "reason"]
    search_fields = ["source_key", "target_key", "=sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the journal is the record of what happened to files


@admin.register(MediaJob)
class MediaJobAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "state",
        "work_in_progress",
        "heartbeat_at",
        "last_cycle_summary",
        "last_error_short",
        "last_failed_download",
    ]
    readonly_fields = [
        "name",
        "state",
        "stopped_by",
        "heartbeat_at",
        "working_since",
        "current_unit",
        "last_error",
        "last_cycle_at",
        "last_cycle_summary",
        "last_cycle_failures",
        "last_failed_url",
        "last_failed_reason",
        "last_failed_at",
        "updated_at",
    ]
    actions = ["stop_jobs", "start_jobs"]

    @admin.display(description="work in progress")
    def work_in_progress(self, job):
        status = media_job_status(job)
        if status.is_working:
            return f"{status.current_unit} (since {status.working_since:%H:%M:%S})"
        if job.working_since and not status.is_alive:
            return "none (the worker stopped beating mid-unit)"
        return "none"

    @admin.display(description="last cycle")
    def last_cycle_summary(self, job):
        return job.last_cycle.get("summary", "") if job.last_cycle else ""

    @admin.display(description="failures of the last cycle")
    def last_cycle_failures(self, job):
        failures = (job.last_cycle or {}).get("failures") or []
        return (
            format_html_join(
                "\n",
                "<div>{}: {} — {}</div>",
                ((f["username"], f["url"] or "no address", f["reason"]) for f in failures),
            )
            or "none"
        )

    @admin.display(description="last error")
    def last_error_short(self, job):
        return (job.last_error[:80] + "…") if len(job.last_error) > 80 else job.last_error

    @admin.display(description="last failed download")
    def last_failed_download(self, job):
        if not job.last_failed_url:
            return ""
        return f"{job.last_failed_url} ({job.last_failed_at:%Y-%m-%d %H:%M}): {job.last_failed_reason}"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Stop (and wait until no work is in progress)")
    def stop_jobs(self, request, queryset):
        names = list(queryset.values_list("name", flat=True))
        try:
            jobs_stop_and_wait(names=names, timeout=ADMIN_STOP_WAIT_SECONDS)
        except JobsStillWorking as error:
            self.message_user(request, str(error), messages.WARNING)
            return
        self.message_user(request, f"Stopped, and verified idle: {', '.join(names)}.", messages.SUCCESS)

    @admin.action(description="Start")
    def start_jobs(self, request, queryset):
        names = jobs_start(names=queryset.values_list("name", flat=True))
        self.message_user(request, f"Started: {', '.join(names)}.", messages.SUCCESS)
