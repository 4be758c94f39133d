#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image (written by
# `threadwork gradescope-bundle`; the course is in /autograder/source, without solutions).
set -euo pipefail
apt-get update && apt-get install -y build-essential curl bubblewrap
curl https://sh.rustup.rs -sSf | sh -s -- -y --profile minimal
source "$HOME/.cargo/env"
cargo install --locked cargo-nextest
cd /autograder/source
cargo build --release -p threadwork
# Compile the dependencies into the cache now, not during a student's run: grading an
# empty class builds the course once with its stubs.
mkdir -p /tmp/no-students
./target/release/threadwork grade /tmp/no-students --out /tmp/warm
