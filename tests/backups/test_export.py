"""export_all: what an export holds, and how it is written."""

import hashlib
import io
import json
import tarfile

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken
from accounts.services import api_token_create
from backups.models import BackupExport
from events.models import Event
from media.models import MediaRecord
from media.storage import file_digest, files_under
from profiles.models import Person
from tests.factories import UserFactory


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


def _lines(folder, label):
    return [json.loads(line) for line in (folder / f"rows/{label}.jsonl").read_text().splitlines()]


@pytest.mark.django_db
def test_every_table_is_exported_with_its_row_count_and_every_file_with_its_hash(varied_data, tmp_path):
    call_command("export_all", str(tmp_path / "out"), "--with-media")
    manifest = _manifest(tmp_path / "out")
    assert manifest["tables"]["profiles.person"]["rows"] == Person.objects.count()
    assert manifest["tables"]["media.mediarecord"]["rows"] == MediaRecord.objects.count()
    assert manifest["tables"]["auth.user_groups"]["rows"] == 1
    assert manifest["migrations"]["backups"].startswith("0001")
    listed = {json.loads(line)["key"]: json.loads(line) for line in (tmp_path / "out/files.jsonl").open()}
    stored = {stored.key for stored in files_under("")}
    assert set(listed) == stored
    assert any(key.startswith("QUARANTINE/") for key in listed)
    for key, entry in listed.items():
        digest = file_digest(key)
        assert (entry["size"], entry["sha256"]) == (digest.size, digest.sha256)
        copied = (tmp_path / "out/media" / key).read_bytes()
        assert (len(copied), hashlib.sha256(copied).hexdigest()) == (digest.size, digest.sha256)


@pytest.mark.django_db
def test_tokens_sessions_content_types_and_permissions_stay_out_and_password_hashes_go_in(db, tmp_path):
    owner = UserFactory(username="owner", password="secret-pass-123")
    _, token_text = api_token_create(user=owner, name="nightly script")
    TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    StaticDevice.objects.create(user=owner, name="backup").token_set.create(token="abcd1234")
    call_command("export_all", str(tmp_path / "out"))
    tables = _manifest(tmp_path / "out")["tables"]
    for label in [
        "accounts.apitoken",
        "knox.authtoken",
        "authtoken.token",
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "otp_static.statictoken",
        "sessions.session",
        "contenttypes.contenttype",
        "auth.permission",
    ]:
        assert label not in tables
        assert not (tmp_path / f"out/rows/{label}.jsonl").exists()
    # Neither the token nor its stored digest may reach the export by another table (the event
    # that records the token's creation names it by its public id only).
    digest = ApiToken.objects.get().digest
    exported = "".join(path.read_text() for path in (tmp_path / "out/rows").iterdir())
    assert token_text not in exported
    assert digest not in exported
    assert TOTPDevice.objects.get().key not in exported
    (user,) = _lines(tmp_path / "out", "auth.user")
    assert user["fields"]["password"] == User.objects.get().password


@pytest.mark.django_db
def test_times_keep_their_microseconds_and_links_to_permissions_use_natural_keys(varied_data, tmp_path):
    event = next(event for event in Event.objects.all() if event.at.microsecond % 1000)
    call_command("export_all", str(tmp_path / "out"))
    (line,) = [row for row in _lines(tmp_path / "out", "events.event") if row["pk"] == event.pk]
    assert line["fields"]["at"] == event.at.isoformat()
    group_permissions = _lines(tmp_path / "out", "auth.group_permissions")
    assert sorted(row["fields"]["permission"] for row in group_permissions) == [
        ["change_note", "notes", "note"],
        ["view_note", "notes", "note"],
    ]
    (entry,) = _lines(tmp_path / "out", "admin.logentry")
    assert entry["fields"]["content_type"] == ["profiles", "person"]


@pytest.mark.django_db
def test_an_export_is_recorded_with_its_counts_and_an_event(varied_data, tmp_path):
    call_command("export_all", str(tmp_path / "out"), "--with-media")
    export = BackupExport.objects.filter(path=str(tmp_path / "out")).get()
    manifest = _manifest(tmp_path / "out")
    assert export.rows == sum(table["rows"] for table in manifest["tables"].values())
    assert export.files == manifest["files"]["count"] > 0
    assert export.manifest["id"] == manifest["id"]
    event = Event.objects.filter(kind="backup.exported").order_by("-id").first()
    assert event.subject_id == str(export.pk)
    assert str(tmp_path / "out") in event.summary


@pytest.mark.django_db
def test_a_tar_holds_the_same_files_with_the_manifest_last(varied_data, tmp_path):
    call_command("export_all", str(tmp_path / "folder"), "--with-media")
    call_command("export_all", str(tmp_path / "out.tar"), "--with-media")
    with tarfile.open(tmp_path / "out.tar") as tar:
        names = tar.getnames()
        assert names[-1] == "manifest.json"
        folder_names = {
            path.relative_to(tmp_path / "folder").as_posix()
            for path in (tmp_path / "folder").rglob("*")
            if path.is_file()
        }
        assert set(names) == folder_names
        listed = tar.extractfile("files.jsonl").read()
    assert listed == (tmp_path / "folder/files.jsonl").read_bytes()
    assert not (tmp_path / "out.tar.partial").exists()


@pytest.mark.django_db
def test_an_export_never_writes_into_a_non_empty_folder_or_over_a_tar(db, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full/keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_all", str(tmp_path / "full"))
    (tmp_path / "old.tar").write_text("mine")
    with pytest.raises(CommandError, match="already exists"):
        call_command("export_all", str(tmp_path / "old.tar"))
    assert (tmp_path / "old.tar").read_text() == "mine"
    assert (tmp_path / "full/keep.txt").read_text() == "mine"


@pytest.mark.django_db
def test_incremental_copies_only_files_the_export_lacks(varied_data, tmp_path):
    from media.storage import file_save

    dest = tmp_path / "out"
    call_command("export_all", str(dest), "--with-media")
    first = BackupExport.objects.order_by("-id").first()
    assert first.files_copied == first.files > 0
    file_save("people/extra/upload/extra_1700000000_abcdef12.jpg", io.BytesIO(b"new bytes"))
    call_command("export_all", str(dest), "--with-media", "--incremental")
    second = BackupExport.objects.order_by("-id").first()
    assert second.files == first.files + 1
    assert second.files_copied == 1
    assert (dest / "media/people/extra/upload/extra_1700000000_abcdef12.jpg").read_bytes() == b"new bytes"
    with pytest.raises(CommandError, match="incremental"):
        call_command("export_all", str(tmp_path / "x.tar"), "--incremental")


# Keys whose order as whole keys differs from the order of the names in each folder (the local
# listing walks folders), from a locale's order, and from UTF-16's.
TRICKY_KEYS = [
    f"people/{name}" for name in ["a-b/x", "a/x", "a.b", "A", "\u00e9/x", "\uff5a", "\U0001f600/x"]
]


def _listed_keys(path):
    return [json.loads(line)["key"] for line in path.read_text().splitlines()]


@pytest.mark.django_db
def test_the_file_list_is_in_utf8_byte_order_and_an_incremental_export_finds_every_file_in_it(
    varied_data, tmp_path
):
    from media.storage import file_save

    for key in TRICKY_KEYS:
        file_save(key, io.BytesIO(key.encode()))
    dest = tmp_path / "out"
    call_command("export_all", str(dest), "--with-media")
    listed = _listed_keys(dest / "files.jsonl")
    assert listed == sorted(listed, key=lambda key: key.encode())
    assert set(TRICKY_KEYS) <= set(listed)
    first = (dest / "files.jsonl").read_bytes()
    call_command("export_all", str(dest), "--with-media", "--incremental")
    assert BackupExport.objects.order_by("-id").first().files_copied == 0
    assert (dest / "files.jsonl").read_bytes() == first
    assert not list(dest.glob("*.partial"))


@pytest.mark.django_db
def test_an_incremental_export_refuses_a_file_list_out_of_key_order(varied_data, tmp_path):
    dest = tmp_path / "out"
    call_command("export_all", str(dest), "--with-media")
    lines = (dest / "files.jsonl").read_text().splitlines(keepends=True)
    (dest / "files.jsonl").write_text("".join([lines[1], lines[0], *lines[2:]]))
    with pytest.raises(CommandError, match="not in key order"):
        call_command("export_all", str(dest), "--with-media", "--incremental")
