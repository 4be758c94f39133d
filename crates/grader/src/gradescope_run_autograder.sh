#!/usr/bin/env bash
# Gradescope runs this for every submission: grades ROOT/submission into
# ROOT/results/results.json (written by `threadwork gradescope-bundle`).
# ROOT is /autograder; THREADWORK_AUTOGRADER_ROOT, THREADWORK_BIN and THREADWORK_GRADE_ARGS
# exist to try the bundle outside Gradescope (a fake root, a built binary, e.g. --no-sandbox).
set -euo pipefail
root=${THREADWORK_AUTOGRADER_ROOT:-/autograder}
if [ -f "$HOME/.cargo/env" ]; then source "$HOME/.cargo/env"; fi
cd "$root/source"
# shellcheck disable=SC2086 # the extra options are words on purpose
exec "${THREADWORK_BIN:-$root/source/target/release/threadwork}" grade --gradescope "$root" \
    ${THREADWORK_GRADE_ARGS:-}
