"""Whether the lock file pins what pyproject.toml asks for.

Run by scripts/_venv.sh after installing requirements/*.txt and the project (without its
dependencies): a dependency added to or re-bounded in pyproject.toml without running scripts/lock
shows here as missing from the lock or pinned at a version outside its bounds.
Usage: python scripts/_lock_check.py LOCK_FILE [extra ...]
"""

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # the app's own lock need not bring packaging; pip always carries a copy
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _unmet(
    requirement: Requirement, extras: set[str], seen: set[str], locked: dict[str, set[str]]
) -> list[str]:
    if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in extras or {""}):
        return []
    versions = locked.get(canonicalize_name(requirement.name), set())
    if not versions:
        return [f"{requirement} is not in the lock"]
    if not any(requirement.specifier.contains(version, prereleases=True) for version in versions):
        return [f"{requirement} is wanted, the lock pins {requirement.name} {', '.join(sorted(versions))}"]
    try:
        installed = distribution(requirement.name)
    except PackageNotFoundError:
        return [f"{requirement.name} is locked but not installed"]
    problems = []
    # What the requirement's own extras bring (whitenoise[brotli] needs Brotli), once each.
    for extra in sorted(set(requirement.extras) - seen):
        seen.add(extra)
        for line in installed.requires or []:
            needed = Requirement(line)
            if needed.marker and needed.marker.evaluate({"extra": extra}):
                problems += _unmet(needed, {extra}, seen, locked)
    return problems


def main(lock_file: str, extras: list[str]) -> int:
    locked: dict[str, set[str]] = {}
    for name, version in PIN.findall(Path(lock_file).read_text()):
        locked.setdefault(canonicalize_name(name), set()).add(version)
    project = tomllib.loads(Path("pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    problems = [problem for line in wanted for problem in _unmet(Requirement(line), set(), set(), locked)]
    if problems:
        print("The lock files do not match pyproject.toml:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print("Run scripts/lock, then commit requirements/*.txt.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
