"""Export → restore into an empty database of the other engine → export again: the same rows and
the same files; and back again into a database of the first engine."""

import json
import tarfile

import pytest
from django.core.management import call_command

from tests.backups.conftest import assert_same_export, other_engine, this_engine


def _export(tmp_path, name: str, *extra: str):
    dest = tmp_path / name
    call_command("export_all", str(dest), "--with-media", *extra)
    return dest


@pytest.mark.django_db
def test_a_round_trip_through_the_other_engine_and_back_gives_the_same_rows_and_files(
    varied_data, tmp_path, fresh_target
):
    first = _export(tmp_path, "first")
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["files"]["count"] > 10
    assert manifest["tables"]["attributes.attributehistory"]["rows"] > 0

    other = fresh_target(other_engine(), "other")
    dry = other.manage("import_all", str(first))
    assert "Dry run" in dry.stdout
    other.manage("import_all", str(first), "--apply")
    second = tmp_path / "second"
    other.manage("export_all", str(second), "--with-media")
    assert json.loads((second / "manifest.json").read_text())["engine"] == other_engine()
    assert_same_export(first, second)

    back = fresh_target(this_engine(), "back")
    back.manage("import_all", str(second), "--apply")
    third = tmp_path / "third"
    back.manage("export_all", str(third), "--with-media")
    assert_same_export(first, third)


@pytest.mark.django_db
@pytest.mark.s3
def test_a_round_trip_with_the_media_on_s3_restores_every_file_into_the_new_bucket(
    s3_server, s3_storage, varied_data, tmp_path, fresh_target
):
    first = _export(tmp_path, "first.tar")
    bucket = f"mhc-restore-{other_engine()}"
    s3_server.client().create_bucket(Bucket=bucket)
    other = fresh_target(other_engine(), "other")
    other.env |= {
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": s3_server.endpoint_url,
        "S3_ACCESS_KEY_ID": s3_server.access_key,
        "S3_SECRET_ACCESS_KEY": s3_server.secret_key,
        "S3_REGION": s3_server.region,
    }
    other.manage("import_all", str(first), "--apply")
    second = tmp_path / "second"
    other.manage("export_all", str(second), "--with-media")

    unpacked = tmp_path / "first"
    with tarfile.open(first) as tar:
        tar.extractall(unpacked, filter="data")
    assert_same_export(unpacked, second)
    manifest = json.loads((second / "manifest.json").read_text())
    assert manifest["files"]["count"] > 10
    assert s3_server.client().list_objects_v2(Bucket=bucket)["KeyCount"] == manifest["files"]["count"]
    assert all(
        key.startswith("mhc/media/")
        for key in (json.loads(line)["key"] for line in (second / "files.jsonl").read_text().splitlines())
    )
