#!/bin/sh
# The system packages that pintoken's test suite runs for real, installed when they are missing. `pnpm test` runs
# this first (so does `pnpm system-deps`); see README.md beside it.
#
#   redis-server  a real Redis for @pintoken/redis and tools/test-support's startRedisServer()
#   postgresql    initdb and the postgres server (Debian's PostgreSQL 15) for @pintoken/postgres and startPostgres()
#   chromium      the browser that apps/demo's end-to-end tests drive through playwright-core
#
# On Debian/Ubuntu (dpkg-query on the PATH), a package counts as present when dpkg knows it as installed. Missing
# packages are installed with apt-get when this runs as root; otherwise one line says the command to run, and the
# script exits 1. Elsewhere, the programs are looked for on the PATH. It uses shell built-ins and only id,
# dpkg-query and apt-get from the PATH, so a test can run it against fakes of those three.
set -u

packages="redis-server postgresql chromium"

say() { printf '%s\n' "$*" >&2; }

if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for package in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) || status=""
    case "$status" in
      *"install ok installed"*) ;;
      *) missing="${missing:+$missing }$package" ;;
    esac
  done
  [ -z "$missing" ] && exit 0

  if [ "$(id -u)" != "0" ]; then
    say "pintoken's tests need the Debian packages $missing, which are not installed: run \`sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing\`, then run the tests again."
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "pintoken's tests need the packages $missing, which are not installed, and apt-get is not on the PATH: install them with your package manager, then run the tests again."
    exit 1
  fi
  say "Installing what the tests need (as root, with apt-get): $missing"
  export DEBIAN_FRONTEND=noninteractive
  # $missing is a list of package names: split on purpose.
  # shellcheck disable=SC2086
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing || {
    say "apt-get could not install $missing (see above): install them by hand, then run the tests again."
    exit 1
  }
  exit 0
fi

# Not Debian/Ubuntu: look for the programs themselves.
missing=""
command -v redis-server >/dev/null 2>&1 || missing="${missing:+$missing, }redis-server"
command -v initdb >/dev/null 2>&1 || [ -x "${PINTOKEN_PG_BIN:-/nonexistent}/initdb" ] ||
  [ -n "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null)" ] ||
  missing="${missing:+$missing, }PostgreSQL 15 or newer (initdb, postgres; or PINTOKEN_PG_BIN)"
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || [ -x "${CHROMIUM_PATH:-/nonexistent}" ] ||
  missing="${missing:+$missing, }Chromium (at /usr/bin/chromium, or CHROMIUM_PATH)"
[ -z "$missing" ] && exit 0
say "pintoken's tests need $missing, which this machine lacks: install them with your system's package manager (on Debian/Ubuntu: apt-get install redis-server postgresql chromium), then run the tests again."
exit 1
