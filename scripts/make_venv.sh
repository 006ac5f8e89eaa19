#!/usr/bin/env bash
# Create .venv with `python3 -m venv` (make install). On a fresh Debian machine python3 has no
# ensurepip until python3-venv is installed, so install it with apt-get when we are root and
# fail with a message naming it otherwise.
set -euo pipefail
python="${1:-python3}"
venv="${2:-.venv}"

if ! command -v "${python}" >/dev/null; then
    echo "FAILED: ${python} is not installed (apt-get install python3 python3-venv)." >&2
    exit 2
fi
if ! "${python}" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "FAILED: Zhigong needs Python 3.11 or newer; ${python} is $("${python}" -V 2>&1)." >&2
    exit 2
fi
if ! "${python}" -c 'import ensurepip, venv' 2>/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        echo "[venv] python3-venv is missing; installing it with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq python3-venv
    else
        echo "FAILED: ${python} cannot create a virtual environment: install python3-venv" \
             "(sudo apt-get install python3-venv) and run make again." >&2
        exit 2
    fi
fi
rm -rf "${venv}"  # a half-made venv from an earlier failure would be taken as done
"${python}" -m venv "${venv}"
