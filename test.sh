#!/usr/bin/env bash
# Tillpoint's test command. On a Debian machine with the .NET SDK it installs what the suites need when it is missing
# (Node.js with npm, the pinned Amazon Pay Node SDK, Chromium, PostgreSQL), starts a throwaway PostgreSQL cluster,
# runs every test project and the HTTP and Node SDK suites again on PostgreSQL, and ends with one summary line.
# Arguments are passed to every `dotnet test` run, e.g. ./test.sh --filter "FullyQualifiedName~Checkout".
#
# A suite never silently skips: CI=true is set for the run (a missing component fails its tests), and a skipped
# test fails the command. TILLPOINT_TEST_POSTGRES, when set, names the PostgreSQL server to use instead of a
# throwaway cluster; TILLPOINT_CHROMIUM names a Chromium other than /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")"

say() { echo "test.sh: $*"; }
fail() { echo "test.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

export CI="${CI:-true}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

need dotnet || fail "the .NET SDK is missing: install the .NET 10 SDK (https://dotnet.microsoft.com/download), then run ./test.sh again."

# What the suites need, as Debian packages: Node runs the official Node SDK suite and checkout.js's tests, Chromium
# the browser suite (Playwright drives it; no browser is downloaded), PostgreSQL the store contract suite and the
# second run of the HTTP and Node SDK suites.
chromium="${TILLPOINT_CHROMIUM:-/usr/bin/chromium}"
if [ -n "${TILLPOINT_CHROMIUM:-}" ] && [ ! -x "$chromium" ]; then
  fail "TILLPOINT_CHROMIUM is $chromium, which is not an executable file."
fi
packages=() missing=()
{ need node && need npm; } || { packages+=(nodejs npm); missing+=("Node.js 18 or later with npm"); }
[ -x "$chromium" ] || { packages+=(chromium); missing+=("Chromium"); }
# The hosted pages' Japanese screenshots need a font with Japanese glyphs; without one Chromium draws empty boxes.
{ need fc-list && [ -n "$(fc-list :lang=ja 2>/dev/null)" ]; } || { packages+=(fonts-noto-cjk); missing+=("a Japanese font"); }
[ -n "${TILLPOINT_TEST_POSTGRES:-}" ] || [ -x "$(pg_bin)/initdb" ] || { packages+=(postgresql); missing+=("PostgreSQL 13 or later"); }

if [ "${#packages[@]}" -gt 0 ]; then
  # Installing needs apt-get and root, directly or through sudo; without them, say exactly what to install and stop
  # before building anything.
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if need sudo && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
      as_root=(sudo)
    else
      reason="not root, and sudo is not available"
    fi
  fi
  need apt-get || reason="apt-get is missing (this is not a Debian-like system)"
  if [ -n "${reason:-}" ]; then
    missing_list=$(IFS=,; echo "${missing[*]}")
    fail "cannot install ${missing_list//,/, }: ${reason}. Install them (on Debian: apt-get install ${packages[*]}), then run ./test.sh again."
  fi
  say "installing ${packages[*]} from Debian"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

{ need node && need npm; } || fail "Node.js or npm is still missing after installing them: install Node.js 18 or later with npm."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || fail "Node $(node --version) is too old for the Node SDK suite: install Node.js 18 or later."
[ -x "$chromium" ] || fail "Chromium is still missing at $chromium after installing it."

# The pinned SDK, exactly as locked; again only when the lock file changed since the last install.
if [ ! -f tests/sdk-node/node_modules/.package-lock.json ] || [ tests/sdk-node/package-lock.json -nt tests/sdk-node/node_modules/.package-lock.json ]; then
  say "installing the pinned Node SDK (npm ci in tests/sdk-node)"
  npm ci --prefix tests/sdk-node --no-audit --no-fund
fi

work=$(mktemp -d)
chmod 755 "$work"
pg_pid=
cleanup() {
  if [ -n "$pg_pid" ]; then
    kill -INT "$pg_pid" 2>/dev/null || true
    wait "$pg_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${TILLPOINT_TEST_POSTGRES:-}" ]; then
  # A throwaway cluster in a temporary folder, on a free loopback port, stopped and deleted on exit. initdb refuses to
  # run as root, so root runs it as the postgres user.
  PG=$(pg_bin)
  [ -x "$PG/initdb" ] || fail "PostgreSQL's initdb is missing under /usr/lib/postgresql: install the postgresql package."
  as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
    install -d -o postgres -g postgres -m 700 "$work/data" "$work/sock"
    # setpriv execs, so the PID of the background job is the postmaster's.
    as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
  else
    install -d -m 700 "$work/data" "$work/sock"
  fi
  "${as_postgres[@]}" "$PG/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; fail "initdb failed (above)."; }
  pg_port=
  for candidate in $(shuf -i 40000-59999 -n 20); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then pg_port=$candidate; break; fi
  done
  [ -n "$pg_port" ] || fail "no free loopback port for PostgreSQL."
  "${as_postgres[@]}" "$PG/postgres" -D "$work/data" -p "$pg_port" -k "$work/sock" \
    -c listen_addresses=127.0.0.1 -c max_connections=200 >"$work/postgres.log" 2>&1 &
  pg_pid=$!
  for _ in $(seq 1 300); do
    "$PG/pg_isready" -h 127.0.0.1 -p "$pg_port" -q && break
    kill -0 "$pg_pid" 2>/dev/null || break
    sleep 0.1
  done
  "$PG/pg_isready" -h 127.0.0.1 -p "$pg_port" -q || { cat "$work/postgres.log" >&2; fail "PostgreSQL did not start (log above)."; }
  export TILLPOINT_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"
  say "PostgreSQL $("$PG/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (throwaway)"
fi
say "dotnet $(dotnet --version), node $(node --version), npm $(npm --version), chromium at $chromium, CI=$CI"

log="$work/test.log"
set +e
# Every project; the storage contract suite runs on both stores, the HTTP and Node SDK suites on SQLite.
dotnet test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The HTTP and Node SDK suites again, on PostgreSQL.
TILLPOINT_TEST_STORE=postgres dotnet test tests/Tillpoint.Server.Tests --no-build "$@" 2>&1 | tee -a "$log"
postgres_status=${PIPESTATUS[0]}
set -e
[ "$status" -ne 0 ] || status=$postgres_status

# One closing line over all test projects and both runs of the server suite.
# (A run with no summary, e.g. a filter that matched nothing, counts 0; grep finding nothing is no error here.)
count() { { grep -oE "$1: +[0-9]+" "$log" || true; } | awk '{s+=$2} END {print s+0}'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  fail "no test ran."
fi
if [ "$status" -eq 0 ] && [ "$skipped" -gt 0 ]; then
  fail "$skipped tests were skipped: a skipped suite is a failure here (run \`dotnet test --logger \"console;verbosity=normal\"\` to see why)."
fi
exit "$status"
