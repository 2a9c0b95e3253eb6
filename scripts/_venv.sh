# Shared by scripts/run and scripts/test: make .venv and install the project into it.
# Usage: ensure_venv [extras]   (e.g. ensure_venv test)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {
  command -v apt-get >/dev/null || return 1
  echo "Installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

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
  local target="."; [ -n "$extras" ] && target=".[$extras]"
  local stamp=".venv/.installed-${extras:-base}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Installing the project into .venv ($target) ..."
    if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
           .venv/bin/python -m pip install --disable-pip-version-check -e "$target"; } > .venv/pip.log 2>&1; then
      tail -n 40 .venv/pip.log >&2; echo "Installing failed; the whole log is in .venv/pip.log." >&2; exit 1
    fi
    touch "$stamp"
  fi
}
