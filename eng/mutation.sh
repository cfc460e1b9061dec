#!/usr/bin/env bash
# Mutation testing of Tillpoint's rule projects with Stryker.NET (the version pinned in .config/dotnet-tools.json):
# Tillpoint.Domain against tests/Tillpoint.Domain.Tests and Tillpoint.Protocol against tests/Tillpoint.Protocol.Tests.
# Not part of CI (a full run takes 10 to 20 minutes per project on two cores); run it when you change either project.
#
#   eng/mutation.sh [domain|protocol]... [--mutate GLOB]... [--concurrency N] [--skip-strings]
#
# With no project both are run. --mutate limits the mutants to matching files (a Stryker glob relative to the project,
# e.g. '**/Signing/AuthorizationHeader.cs'; repeatable); --concurrency is the number of test processes (default 1, kind
# to a shared machine); --skip-strings leaves string mutants untested (Stryker reports them as ignored), about a third
# fewer mutants when only the rules are being checked. Reports go to StrykerOutput/<project>/ (git-ignored):
# mutation-report.json and an HTML report.
# The summary printed at the end counts, per file, the mutants killed, survived, timed out and not covered, the score
# (killed and timed out over all four) and the score with string mutants left aside: a changed message is not a
# changed rule, and tests assert reason codes rather than whole messages.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

usage() { echo "usage: eng/mutation.sh [domain|protocol]... [--mutate GLOB]... [--concurrency N] [--skip-strings]" >&2; exit 2; }
fail() { echo "mutation.sh: $*" >&2; exit 1; }

projects=() stryker_args=() concurrency=1 skip_strings=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    domain|protocol) projects+=("$1") ;;
    --mutate|-m) [ "$#" -ge 2 ] || usage; stryker_args+=(--mutate "$2"); shift ;;
    --concurrency|-c) [ "$#" -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || usage; concurrency="$2"; shift ;;
    --skip-strings) skip_strings=true ;;
    -h|--help) usage ;;
    *) echo "mutation.sh: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done
[ "${#projects[@]}" -gt 0 ] || projects=(domain protocol)

command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK is missing: install the .NET 10 SDK, then run eng/mutation.sh again."
command -v jq >/dev/null 2>&1 || fail "jq is missing (it reads Stryker's JSON report): install it, e.g. apt-get install jq."
dotnet tool restore >/dev/null

# Prints one row per file of a Stryker JSON report, then the project's total.
summarize() {
  jq -r --arg root "$root/" '
    def strings: (.mutatorName == "String mutation"); # literal and interpolated strings, not string method calls
    def counts(ms): {
      killed: [ms[] | select(.status == "Killed")] | length,
      survived: [ms[] | select(.status == "Survived")] | length,
      timeout: [ms[] | select(.status == "Timeout")] | length,
      nocov: [ms[] | select(.status == "NoCoverage")] | length };
    def score(c): (c.killed + c.timeout + c.survived + c.nocov) as $n
      | if $n == 0 then "-" else (((c.killed + c.timeout) * 1000 / $n | round) / 10 | tostring) + " %" end;
    def row(name; ms): counts(ms) as $all | counts([ms[] | select(strings | not)]) as $rules
      | [name, $all.killed, $all.survived, $all.timeout, $all.nocov, score($all), score($rules)] | @tsv;
    (["file", "killed", "survived", "timeout", "no coverage", "score", "score without strings"] | @tsv),
    (.files | to_entries | sort_by(.key)[] | row(.key | ltrimstr($root); .value.mutants)),
    row("total"; [.files[].mutants[]])
  ' "$1" | column -t -s $'\t'
}

for project in "${projects[@]}"; do
  case "$project" in
    domain) name=Tillpoint.Domain ;;
    protocol) name=Tillpoint.Protocol ;;
  esac
  output="$root/StrykerOutput/$project"
  rm -rf "$output"
  run_args=("${stryker_args[@]}")
  if $skip_strings; then
    # Stryker takes a mutator filter only from a configuration file, so the run gets one of its own.
    mkdir -p "$output"
    echo '{ "stryker-config": { "ignore-mutations": ["string"] } }' >"$output/stryker-config.json"
    run_args+=(--config-file "$output/stryker-config.json")
  fi
  echo "mutation.sh: mutating src/$name with tests/$name.Tests"
  (cd "tests/$name.Tests" && dotnet stryker --project "$name.csproj" --reporter json --reporter html --reporter progress \
    --concurrency "$concurrency" --skip-version-check --output "$output" "${run_args[@]}")
  report="$output/reports/mutation-report.json"
  [ -f "$report" ] || fail "Stryker wrote no report for $name (see its output above)."
  echo "mutation.sh: $name, report in ${output#"$root/"}/reports"
  summarize "$report"
done
