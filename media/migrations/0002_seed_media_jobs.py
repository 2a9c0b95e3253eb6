from django.db import migrations

JOBS = ("affiliate-polling", "profile-capture", "live-screenshot")


def create_jobs(apps, schema_editor):
    MediaJob = apps.get_model("media", "MediaJob")
    for name in JOBS:
        MediaJob.objects.get_or_create(name=name, defaults={"state": "started"})


def delete_jobs(apps, schema_editor):
    apps.get_model("media", "MediaJob").objects.filter(name__in=JOBS).delete()


class Migration(migrations.Migration):
    dependencies = [("media", "0001_media_library")]

    operations = [migrations.RunPython(create_jobs, delete_jobs)]
