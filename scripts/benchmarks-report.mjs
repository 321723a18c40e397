#!/usr/bin/env node
// Turns the bench JSON (`mixdiff bench --out FILE`) and the scaling JSON (apps/integration/bench/scaling.ts)
// into the generated BENCHMARKS.md: the targets (met / gap), how cost grows with N, m, degree and levels (exponents
// from least-squares fits on log-log axes), RSS, and every suite's raw rows.
//   node scripts/benchmarks-report.mjs [--bench .tmp/bench/full.json] [--scaling .tmp/bench/scaling.json]
//                                      [--rss-log .tmp/bench/full.log] [--out BENCHMARKS.md]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return resolve(root, i >= 0 ? args[i + 1] : dflt);
};
const benchPath = arg("--bench", ".tmp/bench/full.json");
const scalingPath = arg("--scaling", ".tmp/bench/scaling.json");
const rssLogPaths = [arg("--rss-log", ".tmp/bench/full.log"), arg("--scaling-log", ".tmp/bench/scaling.log")];
const outPath = arg("--out", "BENCHMARKS.md");

const readJson = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : null);
const bench = readJson(benchPath);
const scaling = readJson(scalingPath);
const cliFit = readJson(arg("--cli-fit", ".tmp/bench/cli-fit.json"));

const fmt = (v) => {
  if (typeof v !== "number") return v === undefined || v === null ? "" : String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 3);
};
const table = (rows, cols) => {
  if (!rows.length) return "_no rows_\n";
  cols ??= [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== "package");
  return `| ${cols.join(" | ")} |\n| ${cols.map(() => "---").join(" | ")} |\n${rows
    .map((r) => `| ${cols.map((c) => fmt(r[c])).join(" | ")} |`)
    .join("\n")}\n`;
};
/** Least-squares slope of ln y on ln x. */
const slope = (pts) => {
  const xs = pts.map((p) => Math.log(p[0]));
  const ys = pts.map((p) => Math.log(p[1]));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
};
const maxRss = (p) => {
  if (!existsSync(p)) return null;
  const m = readFileSync(p, "utf8").match(/Maximum resident set size \(kbytes\): (\d+)/);
  return m ? Number(m[1]) / 1024 : null;
};

const suites = bench?.suites ?? {};
const find = (suite, pred) => (suites[suite] ?? []).filter(pred);
const targets = [];
const target = (what, goal, measured, met, how) =>
  targets.push({ what, goal, measured, status: met === null ? "not measured" : met ? "met" : "gap", how });

// Issue 17: fitScore 20 000 points, 2-D, defaults (main thread; the CLI uses every core).
const fit2d = find("fit", (r) => r.dim === 2 && r.n === 20_000 && !r.workers);
const worst2d = fit2d.length ? Math.max(...fit2d.map((r) => r.msPerFit)) : null;
target(
  "fit 20 000 points, 2-D, defaults (fitScore on one thread)",
  "< 5 s",
  worst2d === null ? "—" : `${fmt(worst2d / 1000)} s (slowest of ${fit2d.length} 2-D cases)`,
  worst2d === null ? null : worst2d < 5_000,
  "bench suite `fit`",
);
// Issue 17: the same 2-D fits through the CLI as a user runs them (every core; scripts/bench-cli-fit.mjs).
const cli20k = cliFit?.fits20k ?? [];
const slowest = cli20k.length ? cli20k.reduce((a, b) => (b.wallSeconds > a.wallSeconds ? b : a)) : null;
target(
  "fit 20 000 points, 2-D, defaults: `mixdiff fit` on every core",
  "< 5 s",
  slowest
    ? `${fmt(slowest.wallSeconds)} s wall (slowest of ${cli20k.length}: ${slowest.name}; whole process, CSV read included; ${slowest.cores} cores, load ${fmt(slowest.loadBefore)} before); 1 worker: ${fmt(slowest.oneWorker.wallSeconds)} s; identical bytes in all ${cli20k.length}: ${cli20k.every((r) => r.oneWorker.identical)}`
    : "—",
  slowest ? slowest.wallSeconds < 5 && cli20k.every((r) => r.oneWorker.identical) : null,
  "scripts/bench-cli-fit.mjs",
);
// Issue 17: fitScore 20 000 points, 8-D, four mean directions.
const t8 = find("fit", (r) => r.dim === 8 && r.n === 20_000)[0];
target(
  "fit 20 000 points, 8-D (4 mean directions), defaults (fitScore on one thread)",
  "< 15 s",
  t8 ? `${fmt(t8.msPerFit / 1000)} s` : "—",
  t8 ? t8.msPerFit < 15_000 : null,
  "bench suite `fit`",
);
// Issue 17: the CLI on 10⁶ and 10⁷ rows (scripts/bench-cli-fit.mjs: wall clock and peak RSS of `mixdiff fit`).
for (const [rowsN, goalS, goalMB, label] of [
  [1e6, 60, 500, "10⁶"],
  [1e7, 600, 1024, "10⁷"],
]) {
  const r = (cliFit?.rows ?? []).find((q) => q.rows === rowsN);
  target(
    `\`mixdiff fit\` on a ${label}-row 2-D CSV (defaults, every core)`,
    `< ${goalS >= 600 ? `${goalS / 60} min` : `${goalS} s`} wall, < ${goalMB >= 1024 ? "1 GB" : `${goalMB} MB`} RSS`,
    r
      ? `${fmt(r.wallSeconds)} s wall, ${fmt(r.rssMB)} MB peak RSS (${fmt(r.csvMB)} MB CSV; 1 worker: ${r.oneWorker ? `${fmt(r.oneWorker.wallSeconds)} s, identical bytes: ${r.oneWorker.identical}` : "—"})`
      : "—",
    r ? r.wallSeconds < goalS && r.rssMB < goalMB : null,
    "scripts/bench-cli-fit.mjs",
  );
}
// Issue 17: the fit with 2 workers vs 1.
const fw1 = find("fit", (r) => r.workers === 1 && !r.pool)[0];
const fw2 = find("fit", (r) => r.workers === 2 && !r.pool)[0];
const fw0 = find("fit", (r) => r.workers === 0 && r.name.includes("main thread"))[0];
target(
  "fit with 2 workers vs 1, identical bytes",
  "≥ 1.7× faster",
  fw1 && fw2
    ? `${fmt(fw1.msPerFit / fw2.msPerFit)}× (${fmt(fw2.msPerFit / 1000)} s vs ${fmt(fw1.msPerFit / 1000)} s, ${fw2.n} points${fw0 ? `; main thread ${fmt(fw0.msPerFit / 1000)} s` : ""}${fw2.rounds ? `; median of ${fw2.rounds} alternating rounds, 2 workers: ${fw2.msRounds.map((v) => fmt(v / 1000)).join(", ")} s` : ""}); bytes identical to the main-thread fit: ${fw1.identical && fw2.identical}${fw1.cpuMs && fw2.cpuMs ? `. CPU time of the process (every thread): 1 worker ${fmt(fw1.cpuMs / 1000)} s, 2 workers ${fmt(fw2.cpuMs / 1000)} s — on 2 cores the 2-worker wall time is at least half its CPU time, so this CPU allows at most ${fmt(fw1.msPerFit / (fw2.cpuMs / 2))}×` : ""}`
    : "—",
  fw1 && fw2 ? fw1.msPerFit / fw2.msPerFit >= 1.7 && fw1.identical && fw2.identical : null,
  "bench suite `fit`",
);
// Issue 17: the same on pools kept warm (`createFitPool`): each new thread compiles the fit's code once, which a
// pool's later fits skip — what a process that fits more than once gets; `mixdiff fit` (one fit) gets the rows above.
const pw1 = find("fit", (r) => r.pool && r.workers === 1 && r.name.startsWith("FitPool gmm2d"))[0];
const pw2 = find("fit", (r) => r.pool && r.workers === 2 && r.name.startsWith("FitPool gmm2d"))[0];
target(
  "fit with 2 workers vs 1 on pools kept warm (`createFitPool`, later fits), identical bytes",
  "≥ 1.7× faster",
  pw1 && pw2
    ? `${fmt(pw1.msPerFit / pw2.msPerFit)}× (${fmt(pw2.msPerFit / 1000)} s vs ${fmt(pw1.msPerFit / 1000)} s, ${pw2.n} points; median of ${pw2.rounds} alternating rounds, 2 workers: ${pw2.msRounds.map((v) => fmt(v / 1000)).join(", ")} s); bytes identical to the main-thread fit: ${pw1.identical && pw2.identical}; CPU time of the process: 1 worker ${fmt(pw1.cpuMs / 1000)} s, 2 workers ${fmt(pw2.cpuMs / 1000)} s`
    : "—",
  pw1 && pw2 ? pw1.msPerFit / pw2.msPerFit >= 1.7 && pw1.identical && pw2.identical : null,
  "bench suite `fit`",
);
const pc = find("fit", (r) => r.pool && r.name.startsWith("FitPool circle2d"))[0];
target(
  "fit 20 000 points, 2-D, defaults, on a warm pool of 2 workers (`createFitPool`; slowest case, circle2d)",
  "< 5 s",
  pc
    ? `${fmt(pc.msPerFit / 1000)} s for ${pc.n} points (median of ${pc.rounds}: ${pc.msRounds.map((v) => fmt(v / 1000)).join(", ")} s; ${fmt(1 / pc.ratio)}× faster than fitScore on one thread in the same run); bytes identical to it: ${pc.identical}`
    : "—",
  pc ? (pc.n === 20_000 ? pc.msPerFit < 5_000 && pc.identical : null) : null,
  "bench suite `fit`",
);
// Sampling 100 000 points, 100 steps, 2-D.
const s2 = find(
  "samplers",
  (r) => r.dim === 2 && r.steps === 100 && r.workers === 0 && r.sampler === "exponentialIntegrator",
);
const s2row = s2[0];
const s2ms = s2row ? (s2row.msPerRun * 100_000) / s2row.n : null;
target(
  "sample 100 000 points, 100 steps, 2-D (exponential integrator, main thread)",
  "< 5 s",
  s2row ? `${fmt(s2ms / 1000)} s${s2row.n === 100_000 ? "" : ` (scaled linearly from n = ${s2row.n})`}` : "—",
  s2row ? s2ms < 5000 : null,
  "bench suite `samplers`",
);
// Issue 17: sampling a learned model that keeps m = 3 of 40 coordinates, against the 2-D model in the same round.
const samp = (pred) => find("sampling", pred)[0];
const r40 = samp((r) => r.dim === 40 && r.simulated === 3 && r.path === "sampler" && r.workers === 0);
const r40before = samp((r) => r.dim === 40 && r.simulated === 40);
const r40cli = samp((r) => r.dim === 40 && r.path === "cli");
if (r40) {
  const s20 = (r40.msPerRun * 20_000) / r40.n;
  target(
    "sample 20 000 from a learned model with m = 3 kept coordinates in R^40 (default steps, main thread)",
    "< 3 s, and ≤ 1.5× the same sampler on a 2-D model in the same run",
    `${fmt(s20 / 1000)} s${r40.n === 20_000 ? "" : ` (scaled from n = ${r40.n})`}, ${r40.steps} steps (${r40.simulated} of 40 simulated); ${fmt(r40.ratio)}× the 2-D learned model per sample (same rounds)${
      r40before
        ? `; before issue 17 (40 coordinates, ${r40before.steps} steps) ${fmt(r40before.ratio)}× slower per sample`
        : ""
    }${r40cli ? `; CLI path (chunks + CSV) ${fmt(r40cli.ratio)}× the sampler alone` : ""}; load ${r40.load}`,
    s20 < 3000 && r40.ratio <= 1.5,
    "bench suite `sampling`",
  );
} else
  target(
    "sample 20 000 from a learned model with m = 3 kept coordinates in R^40",
    "< 3 s, ≤ 1.5× 2-D",
    "—",
    null,
    "bench suite `sampling`",
  );
// Issue 17: 100 000 samples in 2-D from the learned model at the default steps.
const g100 =
  samp((r) => r.dim === 2 && r.path === "sampler" && r.workers === 0 && r.n >= 50_000) ??
  samp(
    (r) =>
      r.dim === 2 && r.path === "sampler" && r.workers === 0 && !r.name.startsWith("synthetic") && r.reference === "",
  );
const g100cli = samp((r) => r.dim === 2 && r.path === "cli");
const g100w = samp((r) => r.dim === 2 && r.workers === 2);
if (g100) {
  const s100 = (g100.msPerRun * 100_000) / g100.n;
  target(
    "sample 100 000 in 2-D at the default steps (learned gmm2d model, main thread)",
    "< 5 s",
    `${fmt(s100 / 1000)} s${g100.n === 100_000 ? "" : ` (scaled from n = ${g100.n})`}, ${g100.steps} steps${
      g100cli ? `; CLI path ${fmt((g100cli.msPerRun * 100_000) / g100cli.n / 1000)} s` : ""
    }${g100w ? `; 2 workers ${fmt((g100w.msPerRun * 100_000) / g100w.n / 1000)} s (${fmt(1 / g100w.ratio)}× the main thread)` : ""}; load ${g100.load}`,
    s100 < 5000,
    "bench suite `sampling`",
  );
}
// Issue 17: the same two sampling targets through the CLI as a user runs it (every core; scripts/bench-cli-fit.mjs).
for (const [name, goal, limit] of [
  ["gmm2d", "sample 100 000 in 2-D at the default steps: `mixdiff sample` on every core (learned gmm2d model)", 5],
  [
    "R^40 (m = 3)",
    "sample 20 000 from a learned model with m = 3 kept coordinates in R^40: `mixdiff sample` on every core",
    3,
  ],
]) {
  const r = (cliFit?.samples ?? []).find((q) => q.name === name);
  target(
    goal,
    `< ${limit} s`,
    r
      ? `${fmt(r.wallSeconds)} s wall for ${r.n} samples, whole process (${r.cores} cores, load ${fmt(r.loadBefore)} before); 1 worker: ${fmt(r.oneWorker.wallSeconds)} s (${fmt(r.oneWorker.wallSeconds / r.wallSeconds)}×), identical bytes: ${r.oneWorker.identical}`
      : "—",
    r ? r.wallSeconds < limit && r.oneWorker.identical : null,
    "scripts/bench-cli-fit.mjs",
  );
}
// Issue 17: the Gram/feature kernel against the measured peaks.
const roof = (pred) => find("roofline", pred);
const jsPeak = roof((r) => r.kind === "peak" && r.name.includes("4 accumulators"))[0];
const wasmPeak = roof((r) => r.kind === "peak" && r.implementation === "wasm")[0];
const blocks = roof((r) => r.kind === "block kernel" && r.implementation === "wasm");
const steps = roof((r) => r.kind === "features+accumulate" && r.implementation === "wasm");
if (jsPeak && blocks.length) {
  const range = (rs, f) => `${fmt(Math.min(...rs.map(f)))}–${fmt(Math.max(...rs.map(f)))}`;
  const speedups = steps.map((r) => r.speedupOverJs);
  target(
    "Gram/feature kernel: throughput against the measured peak; WebAssembly only where it wins by a measured margin",
    "reported; wasm adopted only if ≥ 1.5× the JS kernel",
    `peaks: JS dot ${fmt(jsPeak.maddsPerSecond / 1e9)} G madd/s, wasm SIMD dot ${wasmPeak ? fmt(wasmPeak.maddsPerSecond / 1e9) : "—"} G madd/s; block kernel wasm ${range(blocks, (r) => r.maddsPerSecond / 1e9)} G madd/s (${range(blocks, (r) => r.ofWasmPeak)}× the wasm dot peak, ${range(blocks, (r) => r.speedupOverJs)}× the JS kernel); features + accumulation ${range(steps, (r) => r.speedupOverJs)}× with wasm (p = ${steps.map((r) => r.p).join(", ")})`,
    speedups.length ? Math.min(...speedups) >= 1.5 : null,
    "bench suite `roofline`",
  );
}
// Features + accumulation at p = 126 vs ml-matrix.
const acc = find("polyregAccumulate", (r) => r.p === 126 && r.implementation === "polyreg")[0];
target(
  "features + accumulation at p = 126 vs a straightforward ml-matrix implementation",
  "≥ 5× faster",
  acc?.speedup ? `${fmt(acc.speedup)}×` : "—",
  acc?.speedup ? acc.speedup >= 5 : null,
  "bench suite `polyregAccumulate`",
);
// Memory independent of N.
const mem = (scaling?.rows ?? []).find((r) => r.series === "memory");
target(
  "fit memory independent of N (10⁶ rows in 2-D under 500 MB RSS, streamed)",
  "< 500 MB at 10⁶ rows",
  mem
    ? `${fmt(mem.rssMB)} MB RSS after fitScore on ${mem.n} rows held in memory (${fmt((mem.n * mem.dim * 8) / 2 ** 20)} MB of data); fit time ${fmt(mem.ms / 1000)} s`
    : "—",
  mem ? (mem.n >= 1e6 ? mem.rssMB < 500 : null) : null,
  "scaling series `memory`",
);
// Two workers vs one: threads started per run (`sampleParallel`), and pools kept warm (`createSamplePool`).
const speedups = (pool) => {
  const out = [];
  for (const r of find("samplers", (r) => r.workers === 2 && !!r.pool === pool)) {
    const same = (q) => q.sampler === r.sampler && q.dim === r.dim && q.steps === r.steps && q.n === r.n;
    const one =
      find("samplers", (q) => same(q) && q.workers === 1 && !!q.pool === pool)[0] ??
      find("samplers", (q) => same(q) && q.workers === 0)[0];
    if (one)
      out.push({
        name: r.name,
        speedup: one.msPerRun / r.msPerRun,
        oneIs: one.workers === 0 ? "main thread" : pool ? "a warm pool of 1" : "1 worker",
      });
  }
  return out;
};
for (const [pool, what, how] of [
  [false, "sampling: two workers vs one, byte-identical output", "`sampleParallel`, threads started per run"],
  [
    true,
    "sampling: a warm pool of two vs a warm pool of one (`createSamplePool`), byte-identical output",
    "pools kept warm",
  ],
]) {
  const par = speedups(pool);
  const sortedPar = par.map((p) => p.speedup).sort((a, b) => a - b);
  const medianPar = sortedPar.length ? sortedPar[Math.floor((sortedPar.length - 1) / 2)] : null;
  target(
    what,
    "≥ 1.7× faster",
    medianPar === null
      ? "—"
      : `median ${fmt(medianPar)}×, range ${fmt(sortedPar[0])}–${fmt(sortedPar[sortedPar.length - 1])}× over ${par.length} sampler/dimension pairs (${how}; vs ${par[0].oneIs}); byte-identity across 1–3 workers and on pools is tested in packages/diffusion/src/node/sample-parallel.test.ts`,
    medianPar === null ? null : medianPar >= 1.7,
    "bench suite `samplers`",
  );
}

let md = `# Benchmarks\n\n_Generated by \`node scripts/benchmarks-report.mjs\` — do not edit by hand._\n\n`;
// --note: a sentence on how this report's inputs were produced (e.g. a suite re-run on its own).
const noteIdx = args.indexOf("--note");
const note = noteIdx >= 0 ? ` ${args[noteIdx + 1]}` : "";
md += `Machine: ${bench ? `${bench.platform}, Node ${bench.node}, ${bench.date}` : "—"}; 2 cores, shared with other jobs while the suites ran${suites.sampling?.[0]?.load ? ` (load average ${suites.sampling[0].load} during the \`sampling\` suite)` : ""}: absolute times are pessimistic, ratios are measured in the same run. Reproduce everything with \`pnpm bench:full\` (scripts/bench-full.sh), which runs \`node apps/cli/dist/cli.js bench --out .tmp/bench/full.json\`${bench?.quick ? " **(quick mode)**" : ""} and \`apps/integration/bench/scaling.ts\` (bundled with esbuild: see the file header).${note}\n\n`;
md += `## Targets\n\n${table(targets, ["what", "goal", "measured", "status", "how"])}\n`;

if (scaling?.rows?.length) {
  md += `## How fit cost grows\n\nExponent b in time ∝ x^b, least squares on log-log axes (fitScore, defaults unless the series sets the parameter).\n\n`;
  const series = [
    ["N (rows, 2-D)", "N", (r) => r.n],
    ["subspace dimension m (8-D, 2–4 mean directions)", "m", (r) => r.m],
    ["degree d (2-D)", "degree", (r) => r.degree],
    ["number of levels (2-D)", "levels", (r) => r.levels],
  ];
  const fits = [];
  for (const [label, key, xOf] of series) {
    let rs = scaling.rows.filter((r) => r.series === key);
    // Fit N only over rows where the automatic projection kept the same m (a changed m confounds the N trend).
    if (key === "N" && rs.length) rs = rs.filter((r) => r.m === rs[rs.length - 1].m);
    const pts = rs.map((r) => [xOf(r), r.ms]).filter((p) => p[0] > 0);
    const distinct = new Set(pts.map((p) => p[0])).size;
    fits.push({ parameter: label, "points used": rs.length, "exponent b": distinct >= 2 ? slope(pts) : "—" });
  }
  md += table(fits);
  md += `\n${table(scaling.rows, ["series", "dim", "n", "m", "degree", "levels", "ms", "rssMB"])}\n`;
}

const rss = rssLogPaths.map(maxRss);
md += `## Memory\n\nPeak RSS (\`/usr/bin/time -v\`): bench run ${rss[0] === null ? "—" : `${fmt(rss[0])} MB`}, scaling run ${rss[1] === null ? "—" : `${fmt(rss[1])} MB`}.\n\n`;

const par = [...speedups(false), ...speedups(true)].map(({ name, speedup, oneIs }) => ({ name, speedup, vs: oneIs }));
if (par.length) md += `## Worker speedup\n\n${table(par)}\n`;
for (const [name, rows] of Object.entries(suites)) md += `## Suite \`${name}\`\n\n${table(rows)}\n`;
writeFileSync(outPath, md);
process.stdout.write(
  `wrote ${outPath} (${targets.filter((t) => t.status === "met").length}/${targets.length} targets met)\n`,
);
