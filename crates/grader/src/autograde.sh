#!/usr/bin/env bash
# Grades one exercise of this repository for GitHub Classroom's command grader
# (.github/workflows/classroom.yml runs it once per exercise, with the exercise's points):
#
#   scripts/autograde TOPIC EXERCISE
#
# Runs every test of the exercise (the tests named `EXERCISE::...` in crates/TOPIC/tests/,
# its std tests and loom models) and exits 0 only when all of them pass. The verdict is
# cargo's exit status, never text the code under test prints. Each run adds a row to the
# job summary ($GITHUB_STEP_SUMMARY) when there is one.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
    echo "usage: scripts/autograde TOPIC EXERCISE (see exercises/TOPIC/info.toml)" >&2
    exit 2
fi
topic=$1
exercise=$2
if ! grep -q "^name = \"$exercise\"\$" "exercises/$topic/info.toml" 2>/dev/null; then
    echo "scripts/autograde: exercises/$topic/info.toml lists no exercise \`$exercise\`" >&2
    exit 2
fi
# The test names (`--list` runs no test code), those of this exercise only.
mapfile -t tests < <(cargo test -q -p "$topic" --tests -- --list --format terse 2>/dev/null |
    awk -v p="$exercise::" 'index($0, p) == 1 && / test$/ { sub(/: test$/, ""); print }')
if [ ${#tests[@]} -eq 0 ]; then
    echo "scripts/autograde: \`$exercise\` has no tests, or topic \`$topic\` does not build:" >&2
    cargo test -q -p "$topic" --tests --no-run >&2 || true
    verdict=1
else
    verdict=0
    cargo test -q -p "$topic" --tests -- --exact "${tests[@]}" || verdict=$?
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    if [ "$verdict" -eq 0 ]; then mark=pass; else mark=FAIL; fi
    echo "| $topic | $exercise | ${#tests[@]} tests | $mark |" >>"$GITHUB_STEP_SUMMARY"
fi
exit "$verdict"
