#!/usr/bin/env bash
# Starts the shop on http://127.0.0.1:5080 (or --urls). Settings, later ones winning: appsettings.json,
# appsettings.Local.json (written by setup.sh), TILLPOINT_* environment variables, then the arguments given here,
# e.g. --tillpoint-url https://127.0.0.1:8443. Relative paths are taken from this folder.
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run --project Tillpoint.Shop.csproj -- "$@"
