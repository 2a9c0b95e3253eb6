"""The media library's maintenance: the plain functions behind the `media_*` management
commands, which the admin and the tests call too.

Modules: `run` (progress, reports, stopping the media jobs), `hashing` (sha256 and size of
records missing them), `dedup` (duplicates of one person, placeholders shared by many),
`integrity` (records against storage: missing and unregistered files), `orphans` (finding,
registering and quarantining unregistered files), `quarantine` (files of soft-deleted records),
`verification` (the baseline/verify regression check).
"""
