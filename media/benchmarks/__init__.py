"""Benchmarks of the media maintenance commands, each against a floor measured in the same run.

- `media-maintenance`: N records of small files, 20% of them same-person duplicates, sha256 left
  blank as on older records. `media_sha256` (floor: `find | xargs -P2 sha256sum`, or plain
  boto3 GETs on as many threads on S3), `media_check` before and after the dedup (floor: a bare
  listing of the same folders or bucket prefixes), `media_dedup --apply` (floor, locally: `cp`
  of the same duplicate files).
- `media-hashing`: `media_sha256` over realistic images (100-300 KB), floor `xargs -P2 sha256sum`.
- `media-similar`: `media_similar`'s grouping over N perceptual hashes (floor: reading them), and
  the hashing of 300 thumbnails (floor: decoding them with Pillow).
- `media-dedup-s3`: `media_dedup --apply` on S3 (moto_server) behind a proxy adding 30 ms to every
  request, as a real S3 answers; on 1, 4 and 16 workers, floor: the same server-side copies made
  with plain boto3 on 16 threads.
"""

from media.benchmarks import maintenance, similar  # noqa: F401  (registers the benchmarks)
