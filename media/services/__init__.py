"""Every write of the media library, and the plain functions the maintenance commands build on.

The original system's "MediaService" methods are module-level functions here (writes) and in
`media.selectors` (reads):

=========================  ===========================================================
MediaService method        function
=========================  ===========================================================
download_and_save          services.media_download_and_save
create_record              services.media_create (also the upload path)
set_primary                services.media_set_primary (media_clear_primary undoes it)
soft_delete                services.media_soft_delete
restore                    services.media_restore
hard_delete                services.media_hard_delete
is_placeholder             services.is_placeholder
get_by_id                  selectors.media_by_id
get_for_person             selectors.media_for_person
get_for_username           selectors.media_for_username
get_primary                selectors.primary_media (selectors.avatar_media: else newest)
find_by_sha256             selectors.media_with_sha256
has_source_url             selectors.has_source_url
get_file_path              selectors.media_file_key
get_url                    MediaRecord.get_absolute_url (served by media.views)
=========================  ===========================================================

For the maintenance commands: storage keys in `media.keys` (`media_key`, `quarantine_key`,
`parse_media_key`); files in `media.storage` (`file_digest` streams a SHA-256 from storage,
`files_under` lists a prefix page by page); `move_verified` and `moves_recover` here; job
control (`jobs_stop_and_wait`, `jobs_start`) here.

Modules: `records` (media records), `downloads` (HTTP), `images` (what counts as an image or a
placeholder), `moves` (journalled verified moves), `registration` (records for files already in
storage that none knew), `snapshots` (affiliate snapshots), `jobs` (job control).
"""

from media.services.downloads import (
    Download,
    Fetched,
    check_http_url,
    http_fetch,
    http_fetch_json,
    image_fetch,
    media_download,
    media_download_and_save,
    media_save_fetched,
)
from media.services.images import (
    ImageFacts,
    MediaRejected,
    image_inspect,
    is_placeholder,
    is_placeholder_digest,
    is_placeholder_url,
    placeholder_add,
)
from media.services.jobs import (
    MEDIA_CREATING_JOBS,
    JobsStillWorking,
    JobStopped,
    job_heartbeat,
    job_record_cycle,
    job_record_error,
    job_record_failed_download,
    job_unit,
    jobs_resume,
    jobs_start,
    jobs_stop,
    jobs_stop_and_wait,
    jobs_stopped_by,
)
from media.services.moves import MoveError, RecoveryOutcome, SourceMissing, move_verified, moves_recover
from media.services.records import (
    media_clear_primary,
    media_create,
    media_hard_delete,
    media_restore,
    media_set_primary,
    media_soft_delete,
)
from media.services.registration import (
    Registration,
    RegistrationAction,
    media_register_file,
    mime_type_for_key,
    registration_match,
)
from media.services.snapshots import SNAPSHOT_FIELDS, affiliate_snapshot_create

__all__ = [
    "MEDIA_CREATING_JOBS",
    "SNAPSHOT_FIELDS",
    "Download",
    "Fetched",
    "ImageFacts",
    "JobStopped",
    "JobsStillWorking",
    "MediaRejected",
    "MoveError",
    "RecoveryOutcome",
    "Registration",
    "RegistrationAction",
    "SourceMissing",
    "affiliate_snapshot_create",
    "check_http_url",
    "http_fetch",
    "http_fetch_json",
    "image_fetch",
    "image_inspect",
    "is_placeholder",
    "is_placeholder_digest",
    "is_placeholder_url",
    "job_heartbeat",
    "job_record_cycle",
    "job_record_error",
    "job_record_failed_download",
    "job_unit",
    "jobs_resume",
    "jobs_start",
    "jobs_stop",
    "jobs_stop_and_wait",
    "jobs_stopped_by",
    "media_clear_primary",
    "media_create",
    "media_download",
    "media_download_and_save",
    "media_hard_delete",
    "media_register_file",
    "media_restore",
    "media_save_fetched",
    "media_set_primary",
    "media_soft_delete",
    "mime_type_for_key",
    "move_verified",
    "moves_recover",
    "placeholder_add",
    "registration_match",
]
