#!/usr/bin/env bash
# Engine throughput and the scheduler benchmark, before and after a change, in ABBA order on one machine in one run.
# Set-up: git worktree add "$BEFORE" <commit> && ln -s "$PWD/node_modules" "$BEFORE/node_modules"
# Run from the repo root: BEFORE=/tmp/convoy-before bash bench/scripts/before-after.sh   (logs and JSON in /tmp/ba-*)
set -u
BEFORE=${BEFORE:-/tmp/convoy-before}
AFTER=${AFTER:-$PWD}
run() { # label, tree, round
  (cd "$2" && BENCH_ONLY=throughput npx tsx bench/engine.bench.ts > "/tmp/ba-$1-engine-$3.log" 2>&1; cp .bench/engine.json "/tmp/ba-$1-engine-$3.json")
  (cd "$2" && BENCH_ROUNDS=2 npx tsx bench/scheduler.bench.ts > "/tmp/ba-$1-sched-$3.log" 2>&1; cp .bench/scheduler.json "/tmp/ba-$1-sched-$3.json")
}
run before "$BEFORE" 1
run after "$AFTER" 1
run after "$AFTER" 2
run before "$BEFORE" 2
