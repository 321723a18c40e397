#!/usr/bin/env bash
# The full benchmark run behind BENCHMARKS.md, in one command (`pnpm bench:full`, ~30–40 min on 2 cores,
# most of it the 10^6-row memory point): the CLI bench suite, the fit-scaling series,
# `mixdiff fit` on 10⁶- and 10⁷-row CSVs (scripts/bench-cli-fit.mjs), then the report.
# Pass --quick for a short run that only checks the harness (writes BENCHMARKS.quick.md).
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=""; OUT_MD="BENCHMARKS.md"
if [ "${1:-}" = "--quick" ]; then QUICK="--quick"; OUT_MD=".tmp/bench/BENCHMARKS.quick.md"; fi
mkdir -p .tmp/bench
# Peak RSS comes from GNU time (Debian package "time"); without it the report omits the memory lines.
TIMEV=""; if [ -x /usr/bin/time ]; then TIMEV="/usr/bin/time -v"; fi
pnpm exec turbo run build --filter=@mixdiff/cli --output-logs=errors-only
$TIMEV node apps/cli/dist/cli.js bench $QUICK --out .tmp/bench/full.json --force 2> .tmp/bench/full.log
ESB=$(ls -d node_modules/.pnpm/esbuild@*/node_modules/esbuild/bin/esbuild | sort -V | tail -1)
"$ESB" apps/integration/bench/scaling.ts --bundle --platform=node --format=cjs --conditions=@mixdiff/source \
  --outfile=.tmp/bench/scaling.cjs --log-level=warning
( cd apps/integration && $TIMEV node ../../.tmp/bench/scaling.cjs $QUICK --out ../../.tmp/bench/scaling.json ) \
  2> .tmp/bench/scaling.log
node scripts/bench-cli-fit.mjs $QUICK --out .tmp/bench/cli-fit.json
node scripts/benchmarks-report.mjs --bench .tmp/bench/full.json --scaling .tmp/bench/scaling.json \
  --rss-log .tmp/bench/full.log --scaling-log .tmp/bench/scaling.log --cli-fit .tmp/bench/cli-fit.json --out "$OUT_MD"
echo "wrote $OUT_MD"
