#!/usr/bin/env bash
# Installs the Debian packages the tests and the cohort tools need:
# chromium (browser tests), bubblewrap (the grading sandbox) and python3-venv (the hub's environment).
# Installs them when missing and running as root; otherwise says how.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
# The hub's environment is made with Debian's own Python (every user can run it): needs venv.
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}." >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  echo "(The browser tests need chromium; the grading sandbox needs bubblewrap.)" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
