#!/usr/bin/env node
// `mixdiff fit` on big CSVs, as a user runs it (issue 17): generates 10⁶ and 10⁷ rows of gmm2d with
// `mixdiff generate`, then times `mixdiff fit` (defaults: every core) under GNU time for wall clock and peak RSS of
// the whole process tree's largest process; at 10⁶ rows also with `--workers 1`, comparing the model bytes. Then
// `mixdiff sample` (100 000 in 2-D, 20 000 in R^40 with m = 3) on every core and on one worker; and `mixdiff fit` on
// 20 000 points of each public 2-D case, on every core and on one worker.
//   node scripts/bench-cli-fit.mjs [--quick] [--out .tmp/bench/cli-fit.json]
// Needs the built CLI (`pnpm build`) and /usr/bin/time (Debian package "time"). --quick: 10⁵ rows only.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const cli = join(root, "apps/cli/dist/cli.js");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const outIdx = args.indexOf("--out");
const out = resolve(root, outIdx >= 0 ? args[outIdx + 1] : ".tmp/bench/cli-fit.json");
const spec = join(root, "test-fixtures/eval/cases/gmm2d.json");
const work = mkdtempSync(join(tmpdir(), "mixdiff-bench-fit-"));

/** Runs `node cli.js …args` under `/usr/bin/time -v`: wall seconds and peak RSS (MB). */
function timed(cliArgs) {
  const log = join(work, "time.log");
  execFileSync("/usr/bin/time", ["-v", "-o", log, process.execPath, cli, ...cliArgs], {
    cwd: work,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const text = readFileSync(log, "utf8");
  const [, h, m, sec] = text.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/) ?? [];
  const rss = Number(text.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? Number.NaN) / 1024;
  return { wallSeconds: Number(h ?? 0) * 3600 + Number(m) * 60 + Number(sec), rssMB: rss };
}

const rows = [];
for (const n of quick ? [1e5] : [1e6, 1e7]) {
  const csv = join(work, `data-${n}.csv`);
  process.stderr.write(`bench-cli-fit: generating ${n} rows …\n`);
  const gen = timed(["generate", spec, "--n", String(n), "--seed", "bench-cli-fit", "--out", csv]);
  const csvMB = statSync(csv).size / 2 ** 20;
  process.stderr.write(`bench-cli-fit: fitting ${n} rows …\n`);
  const loadBefore = loadavg()[0];
  const model = join(work, `model-${n}.json`);
  const fit = timed(["fit", csv, "--out", model, "--seed", "1", "--quiet"]);
  const row = { rows: n, csvMB, generateSeconds: gen.wallSeconds, ...fit, cores: availableParallelism(), loadBefore };
  if (n === (quick ? 1e5 : 1e6)) {
    const single = join(work, `model-${n}-1-worker.json`);
    const one = timed(["fit", csv, "--out", single, "--seed", "1", "--quiet", "--workers", "1"]);
    const identical = readFileSync(model).equals(readFileSync(single));
    row.oneWorker = { ...one, identical };
  }
  rows.push(row);
  rmSync(csv, { force: true });
}
// `mixdiff sample` as a user runs it: fit 20 000 points with the CLI, then draw 100 000 (2-D gmm2d) or 20 000
// (R^40, 4 atoms: m = 3 kept coordinates) at the default steps on every core, and with --workers 1 (same bytes?).
const samples = [];
const r40spec = join(work, "directions40.json");
writeFileSync(
  r40spec,
  JSON.stringify({
    dim: 40,
    noiseStd: 1,
    mixing: {
      kind: "atoms",
      points: Array.from({ length: 4 }, (_, i) => Array.from({ length: 40 }, (_, j) => (j === i ? 5 : 0))),
      weights: [0.25, 0.25, 0.25, 0.25],
    },
  }),
);
for (const [name, specFile, n] of [
  ["gmm2d", spec, quick ? 10_000 : 100_000],
  ["R^40 (m = 3)", r40spec, quick ? 4000 : 20_000],
]) {
  const data = join(work, `fit-${samples.length}.csv`);
  const model = join(work, `fit-${samples.length}.json`);
  timed(["generate", specFile, "--n", "20000", "--seed", "bench-cli-sample", "--out", data]);
  timed(["fit", data, "--out", model, "--seed", "1", "--quiet"]);
  process.stderr.write(`bench-cli-fit: sampling ${n} from the ${name} model …\n`);
  const loadBefore = loadavg()[0];
  const all = timed(["sample", model, "--n", String(n), "--seed", "2", "--out", join(work, "s-all.csv"), "--force"]);
  const one = timed([
    "sample",
    model,
    "--n",
    String(n),
    "--seed",
    "2",
    "--out",
    join(work, "s-one.csv"),
    "--workers",
    "1",
    "--force",
  ]);
  const identical = readFileSync(join(work, "s-all.csv")).equals(readFileSync(join(work, "s-one.csv")));
  samples.push({ name, n, ...all, oneWorker: { ...one, identical }, cores: availableParallelism(), loadBefore });
}
// `mixdiff fit` on 20 000 points of each public 2-D case as a user runs it (defaults: every core), and with
// --workers 1: whole-process wall clock (Node's start and the CSV read included), model bytes compared.
const fits20k = [];
for (const name of ["gmm2d", "gmm2d-overlap", "circle2d", "disks2d", "polyline2d"]) {
  const caseSpec = join(root, `test-fixtures/eval/cases/${name}.json`);
  const data = join(work, `fit20k-${name}.csv`);
  const n = quick ? 5000 : 20_000;
  timed(["generate", caseSpec, "--n", String(n), "--seed", "bench-cli-fit20k", "--out", data]);
  process.stderr.write(`bench-cli-fit: fitting ${n} points of ${name} …\n`);
  const loadBefore = loadavg()[0];
  const all = timed(["fit", data, "--out", join(work, "f-all.json"), "--seed", "1", "--quiet", "--force"]);
  const one = timed([
    "fit",
    data,
    "--out",
    join(work, "f-one.json"),
    "--seed",
    "1",
    "--quiet",
    "--force",
    "--workers",
    "1",
  ]);
  const identical = readFileSync(join(work, "f-all.json")).equals(readFileSync(join(work, "f-one.json")));
  fits20k.push({ name, n, ...all, oneWorker: { ...one, identical }, cores: availableParallelism(), loadBefore });
}
rmSync(work, { recursive: true, force: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), quick, rows, samples, fits20k }, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ rows, samples, fits20k }, null, 2)}\n`);
