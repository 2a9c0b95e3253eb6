"""A local storage with a fault, to prove a copy is verified before an original is deleted."""

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage


class CorruptingCopyStorage(FileSystemStorage):
    """Writes into QUARANTINE/ lose their last byte: a copy that can never verify."""

    def _save(self, name, content):
        if "QUARANTINE/" in name:
            content = ContentFile(content.read()[:-1])
        return super()._save(name, content)


class UnreachableStorage(FileSystemStorage):
    """A local storage whose requests fail as an unreachable server's do, for the keys that
    contain one of `failing` (a class-level set the test fills) and the operations named in
    `failing_operations` ("open", "save", "delete")."""

    failing: set[str] = set()
    failing_operations: set[str] = {"open", "save", "delete"}

    def _refuse(self, operation: str, name: str) -> None:
        if operation in self.failing_operations and any(part in name for part in self.failing):
            raise ConnectionRefusedError(f"connection refused ({operation} {name})")

    def _open(self, name, mode="rb"):
        self._refuse("open", name)
        return super()._open(name, mode)

    def _save(self, name, content):
        self._refuse("save", name)
        return super()._save(name, content)

    def delete(self, name):
        self._refuse("delete", name)
        return super().delete(name)
