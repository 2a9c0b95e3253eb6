"""A local storage with a fault, to prove a copy is verified before an original is deleted."""

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


class CorruptingCopyStorage(FileSystemStorage):
    """Writes into QUARANTINE/ lose their last byte: a copy that can never verify."""

    def _save(self, name, content):
        if "QUARANTINE/" in name:
            content = ContentFile(content.read()[:-1])
        return super()._save(name, content)
