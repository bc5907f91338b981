#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains how to get one and fails.
# Rasa Open Source 3.6 supports Python 3.8-3.10 only, so the newer system python3 won't do.
set -euo pipefail
is310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }
if [ -n "${PYTHON310:-}" ] && is310 "$PYTHON310"; then echo "$PYTHON310"; exit 0; fi
if command -v python3.10 >/dev/null 2>&1; then
  p=$(command -v python3.10)
  # a pyenv shim exists even when 3.10 is not the selected version; resolve it
  if is310 "$p"; then echo "$p"; exit 0; fi
fi
root=${PYENV_ROOT:-}
[ -z "$root" ] && command -v pyenv >/dev/null 2>&1 && root=$(pyenv root)
[ -z "$root" ] && root="$HOME/.pyenv"
for p in $(ls -d "$root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r); do
  if is310 "$p"; then echo "$p"; exit 0; fi
done
cat >&2 <<'MSG'
error: Python 3.10 is required (Rasa Open Source 3.6 supports Python 3.8-3.10) and none was found.
Install one of:
  - Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (where your release has it)
  - pyenv:          pyenv install 3.10.13
then run the command again, or point PYTHON310=/path/to/python3.10 at it.
MSG
exit 1
