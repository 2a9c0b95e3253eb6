"""Signals `profiles` sends so other apps can follow changes without `profiles` knowing them.

`profile_changed` is sent by the profile services (never by a bare `.save()`), after the change
is written and inside its transaction, with `profile` and `changed` (the set of field names
whose value changed; every set field on creation). The attributes app derives `profile_smoke`
from `smoke_drink` this way.
"""

from django.dispatch import Signal

profile_changed = Signal()
