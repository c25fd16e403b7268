#!/bin/sh
# Bounded-time fuzzing of every parser (tests/integration/fuzz.rs): ./scripts/fuzz.sh [SECONDS] [SEED]
# A panicking input is saved in target/fuzz-findings/ and the run fails. Not run in CI.
set -e
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${1:-60}" FUZZ_SEED="${2:-11400714819323198485}" \
  cargo test --test integration fuzz::fuzz_parsers -- --ignored --nocapture
