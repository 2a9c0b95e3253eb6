# Shared by scripts/run, test, serve and worker: make .venv and install the project into it
# from the lock files under requirements/ (made by scripts/lock).
# Usage: ensure_venv [extras]   (e.g. ensure_venv test)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {
  command -v apt-get >/dev/null || return 1
  echo "Installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Whether the install recorded by `stamp` is newer than `lock` and pyproject.toml.
installed_since() { [ -f "$1" ] && [ ! "$2" -nt "$1" ] && [ ! pyproject.toml -nt "$1" ]; }

ensure_venv() {
  local extras=${1:-}
  local python=${PYTHON:-python3}
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "MHC Control Panel needs Python 3.11 or newer as '$python' (set PYTHON=... to choose one)." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    if ! "$python" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      # Debian ships venv separately (python3-venv / python3.X-venv).
      local version; version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      apt_install "python${version}-venv" || apt_install python3-venv || {
        echo "Could not create a virtual environment: install python3-venv and run again." >&2; exit 1; }
      "$python" -m venv .venv
    fi
  fi
  # The app's packages come from the lock, pinned with their hashes; the project itself comes
  # after, without dependencies, so nothing but the lock decides a version (scripts/lock).
  local lock=requirements/lock.txt; [ "$extras" = test ] && lock=requirements/test.txt
  local stamp=".venv/.installed-${extras:-base}"
  # A venv installed for the tests holds everything the app needs, at the same versions.
  if [ -z "$extras" ] && installed_since .venv/.installed-test requirements/test.txt; then stamp=.venv/.installed-test; fi
  if ! installed_since "$stamp" "$lock"; then
    exec 9>.venv/.installing
    flock 9  # scripts/serve and scripts/worker may start together after an upgrade
    if ! installed_since "$stamp" "$lock"; then
      echo "Installing the project into .venv from $lock ..."
      if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
             .venv/bin/python -m pip install --disable-pip-version-check --require-hashes -r "$lock" &&
             .venv/bin/python -m pip install --disable-pip-version-check --no-deps -e .; } > .venv/pip.log 2>&1; then
        tail -n 40 .venv/pip.log >&2; echo "Installing failed; the whole log is in .venv/pip.log." >&2; exit 1
      fi
      touch "$stamp"
    fi
    exec 9>&-
  fi
  # A dependency added to pyproject.toml but not yet locked fails here, clearly, not in a test.
  .venv/bin/python scripts/_lock_check.py "$lock" $extras || exit 1
}
