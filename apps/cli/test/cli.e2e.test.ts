import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  demoSummarySchema,
  evaluateSummarySchema,
  fitSummarySchema,
  generateSummarySchema,
  sampleSummarySchema,
  scoreSummarySchema,
} from "../src/json-schemas.js";
import { CASES, CLI, runCli, runCliRss, startCli, tempDir } from "./run-cli.js";

const GMM2D = join(CASES, "gmm2d.json");
let dir = "";
let cleanup = () => {};
const p = (f: string) => join(dir, f);
const noTemps = () => readdirSync(dir).filter((f) => f.includes(".mixdiff-tmp-"));

beforeAll(() => {
  expect(existsSync(CLI), "dist/cli.js must be built by the global setup").toBe(true);
  ({ dir, cleanup } = tempDir());
});
afterAll(() => cleanup());

describe("the paper preset end to end (gmm2d, small)", () => {
  it("fits hard cells with the denoising target, samples and evaluates; the file says so", () => {
    let r = runCli(["generate", GMM2D, "--n", "2000", "--seed", "11", "--out", p("paper-data.csv")]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli([
      "fit",
      p("paper-data.csv"),
      "--out",
      p("paper.json"),
      "--preset",
      "paper",
      "--seed",
      "12",
      "--levels",
      "12",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const fit = fitSummarySchema.parse(JSON.parse(r.stdout));
    expect(fit.diffusion!.warnings.some((w) => w.startsWith("paper preset: the Theorem 3.1 grid"))).toBe(true);
    const model = JSON.parse(readFileSync(p("paper.json"), "utf8"));
    expect([model.version, model.model.gating]).toEqual([1, undefined]);
    expect(model.diagnostics.options).toMatchObject({ preset: "paper", estimator: "dsm", noiseDraws: 1 });
    r = runCli(["sample", p("paper.json"), "--n", "500", "--seed", "13", "--out", p("paper-samples.csv")]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli(["evaluate", p("paper-samples.csv"), "--spec", GMM2D, "--seed", "14", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    // A gross-failure detector only: the paper's algorithm at scaled constants is far from the practical
    // learner (QUALITY.md shows both), but its samples land on the mixture (energy distance of a sampler that
    // diverged or collapsed to one component is ≳ 1).
    const ev = evaluateSummarySchema.parse(JSON.parse(r.stdout));
    const energy = ev.metrics.find((x) => x.name === "energyDistance")!;
    expect(energy.value).toBeLessThan(0.5);
  });
});

describe("end to end: generate → fit → sample → evaluate (gmm2d, small)", () => {
  it("recovers the distribution within metric thresholds", () => {
    let r = runCli(["generate", GMM2D, "--n", "3000", "--seed", "1", "--out", p("data.csv")]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli(["fit", p("data.csv"), "--out", p("model.json"), "--seed", "2", "--levels", "16", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const fit = fitSummarySchema.parse(JSON.parse(r.stdout));
    expect(fit.method).toBe("diffusion");
    expect(fit.seed).toBe(2);
    expect(fit.diffusion!.levels).toHaveLength(17); // 16 levels with t > 0, and t = 0
    r = runCli(["sample", p("model.json"), "--n", "2000", "--seed", "3", "--out", p("samples.csv")]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli(["evaluate", p("samples.csv"), "--spec", GMM2D, "--model", p("model.json"), "--seed", "4", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const ev = evaluateSummarySchema.parse(JSON.parse(r.stdout));
    const m = Object.fromEntries(ev.metrics.map((x) => [x.name, x]));
    // Thresholds are gross-failure detectors, far from the values of a correct fit yet far below
    // what a broken one gives: dropping the smallest component (weight 0.25) moves ≥ 25% of the
    // mass by ≈ 6 units, giving energy distance ≳ 1 and histogram TV ≳ 0.25; samples at the
    // wrong scale (σ off by 50%) give TV ≳ 0.2. The estimators' standard errors at n = 2000 are
    // ≈ 0.005 (energy) and ≈ 0.015 (TV), so a correct fit fails these with probability < 1e-6.
    const { energyDistance, histogramTV, nllGap } = m;
    if (!energyDistance || !histogramTV || !nllGap) throw new Error(`metrics missing from ${Object.keys(m)}`);
    expect(energyDistance.value).toBeLessThan(0.1);
    expect(histogramTV.value).toBeLessThan(0.15);
    expect(Math.abs(nllGap.value)).toBeLessThan(0.3);
    expect(ev.scoreError!.levels.length).toBeGreaterThan(1);
    expect(Number.isFinite(ev.scoreError!.klBound)).toBe(true);
    // the EM baseline through the same pipe
    r = runCli(["fit", p("data.csv"), "--out", p("em.json"), "--method", "em", "--k", "3", "--seed", "5", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(fitSummarySchema.parse(JSON.parse(r.stdout)).em!.k).toBe(3);
    r = runCli(["sample", p("em.json"), "--n", "500", "--seed", "6", "--out", p("em-samples.csv")]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli([
      "score",
      p("em.json"),
      "--t",
      "0.5",
      "--points",
      p("em-samples.csv"),
      "--what",
      "log-density",
      "--out",
      p("ld.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(
      readFileSync(p("ld.csv"), "utf8")
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("#")),
    ).toHaveLength(501);
  });

  it("sample --oracle (exact score) against a reference sample, and score on a learned model", () => {
    expect(runCli(["generate", GMM2D, "--n", "1500", "--seed", "11", "--out", p("ref.csv")]).code).toBe(0);
    let r = runCli([
      "sample",
      GMM2D,
      "--oracle",
      "--n",
      "1500",
      "--steps",
      "200",
      "--seed",
      "12",
      "--out",
      p("oracle.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli(["evaluate", p("oracle.csv"), "--reference", p("ref.csv"), "--seed", "13", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const ev = evaluateSummarySchema.parse(JSON.parse(r.stdout));
    const energy = ev.metrics.find((m) => m.name === "energyDistance")!;
    // exact score + 200 steps: the sampler's own error is far below this gross-failure threshold (a
    // missing component gives ≳ 1); the estimator's standard error at n = 1500 is ≈ 0.006.
    expect(energy.value).toBeLessThan(0.1);
    if (!existsSync(p("model.json"))) {
      expect(
        runCli(["fit", p("ref.csv"), "--out", p("model.json"), "--seed", "2", "--levels", "6", "--quiet"]).code,
      ).toBe(0);
    }
    r = runCli(["score", p("model.json"), "--t", "0.5", "--points", p("ref.csv"), "--out", p("learned-score.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(p("learned-score.csv"), "utf8").trim().split("\n");
    expect(rows[0]).toBe("score1,score2");
    expect(rows).toHaveLength(1501);
  });

  it("score --what log-density of a learned model (probability-flow ODE) is close to the truth's closed form", () => {
    if (!existsSync(p("model.json"))) {
      expect(runCli(["generate", GMM2D, "--n", "3000", "--seed", "1", "--out", p("data.csv"), "--force"]).code).toBe(0);
      expect(runCli(["fit", p("data.csv"), "--out", p("model.json"), "--seed", "2", "--levels", "16"]).code).toBe(0);
    }
    // 400 held-out points, fresh draws the model never saw
    expect(runCli(["generate", GMM2D, "--n", "400", "--seed", "21", "--out", p("held.csv")]).code).toBe(0);
    const logDensity = (model: string, out: string) => {
      const r = runCli([
        "score",
        model,
        "--t",
        "0",
        "--points",
        p("held.csv"),
        "--what",
        "log-density",
        "--out",
        p(out),
        "--json",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const summary = scoreSummarySchema.parse(JSON.parse(r.stdout));
      const lines = readFileSync(p(out), "utf8").trim().split("\n");
      expect(lines[0]).toBe("logDensity");
      return { summary, values: lines.slice(1).map(Number) };
    };
    const learned = logDensity(p("model.json"), "ld-learned.csv");
    const truth = logDensity(GMM2D, "ld-truth.csv");
    expect(learned.summary.model.kind).toBe("learned");
    expect(learned.summary.method).toMatch(/^probability-flow ODE with the exact divergence/);
    expect(truth.summary.method).toBe("closed form");
    expect(learned.values).toHaveLength(400);
    // On points of P0, the mean of ln p0 − ln p̂0 estimates KL(P0 ‖ P̂0) ≥ 0: of order p/(2N) ≈ 1e-3 for a correct
    // fit (Wilks; p = 8, N = 3000); a model that lost a component (weight 0.25) gives ≳ 0.3, and an unnormalised
    // density shows as a shift by its log-normaliser. The per-point gap has a standard deviation ≈ 0.05, so the
    // mean of 400 has a standard error ≈ 0.0025: the bounds are −8 and +20 standard errors.
    const gaps = truth.values.map((v, i) => v - learned.values[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(-0.02);
    expect(mean).toBeLessThan(0.05);
    expect(Math.max(...gaps.map(Math.abs))).toBeLessThan(1);
  });

  it("is deterministic: same seed ⇒ byte-identical model and samples", () => {
    for (const k of ["a", "b"]) {
      expect(
        runCli(["fit", p("data.csv"), "--out", p(`m-${k}.json`), "--seed", "9", "--levels", "6", "--quiet"]).code,
      ).toBe(0);
      expect(runCli(["sample", p(`m-${k}.json`), "--n", "300", "--seed", "9", "--out", p(`s-${k}.csv`)]).code).toBe(0);
    }
    // the whole model files, byte for byte: no clock time inside (issue 18 item 1)
    expect(readFileSync(p("m-a.json")).equals(readFileSync(p("m-b.json")))).toBe(true);
    // the CSVs are plain (no provenance line naming the different model files): byte for byte too
    expect(readFileSync(p("s-a.csv")).equals(readFileSync(p("s-b.csv")))).toBe(true);
  });

  it("fit --workers: the model's bytes do not depend on the number of worker threads (issue 17)", () => {
    // 6 000 rows are 3 blocks of 2 048: with 2 and 3 workers every worker runs blocks
    expect(runCli(["generate", GMM2D, "--n", "6000", "--seed", "21", "--out", p("w-data.csv")]).code).toBe(0);
    const files = ["1", "2", "3"].map((w) => {
      const r = runCli(["fit", p("w-data.csv"), "--out", p(`w${w}.json`), "--seed", "5", "--workers", w, "--quiet"]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(p(`w${w}.json`));
    });
    expect(files[1]!.equals(files[0]!)).toBe(true);
    expect(files[2]?.equals(files[0] as Buffer)).toBe(true);
    const bad = runCli(["fit", p("w-data.csv"), "--out", p("w0.json"), "--workers", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--workers/);
    expect(existsSync(p("w0.json"))).toBe(false);
  });

  it("sample --workers: the samples' bytes do not depend on the number of worker threads (issue 17)", () => {
    // 5 000 samples are 3 chunks of 2 048: with 2 and 3 workers every lane draws (interleaved chunks)
    expect(runCli(["generate", GMM2D, "--n", "1500", "--seed", "22", "--out", p("sw-data.csv")]).code).toBe(0);
    let r = runCli(["fit", p("sw-data.csv"), "--out", p("sw.json"), "--seed", "6", "--levels", "6", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const files = ["1", "2", "3"].map((w) => {
      r = runCli([
        "sample",
        p("sw.json"),
        "--n",
        "5000",
        "--seed",
        "8",
        "--steps",
        "60",
        "--workers",
        w,
        "--out",
        p(`sw${w}.csv`),
      ]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(p(`sw${w}.csv`));
    });
    expect(files[0]!.toString().trim().split("\n").length).toBe(5001); // header + 5 000 rows
    expect(files[1]!.equals(files[0]!)).toBe(true);
    expect(files[2]?.equals(files[0] as Buffer)).toBe(true);
    const bad = runCli(["sample", p("sw.json"), "--n", "10", "--workers", "0", "--out", p("sw0.csv")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--workers/);
    expect(existsSync(p("sw0.csv"))).toBe(false);
  });

  it("sample simulates a learned model's m-dimensional subspace only; --no-subspace simulates all n", () => {
    // Two atoms in R³ along the first axis: the learner keeps m < 3 coordinates.
    const spec = {
      dim: 3,
      noiseStd: 1,
      mixing: {
        kind: "atoms",
        points: [
          [-4, 0, 0],
          [4, 0, 0],
        ],
        weights: [0.5, 0.5],
      },
    };
    writeFileSync(p("line3d.json"), JSON.stringify(spec));
    expect(runCli(["generate", p("line3d.json"), "--n", "1500", "--seed", "5", "--out", p("line3d.csv")]).code).toBe(0);
    let r = runCli(["fit", p("line3d.csv"), "--out", p("line3d-model.json"), "--seed", "6", "--levels", "6", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const m = fitSummarySchema.parse(JSON.parse(r.stdout)).diffusion!.subspaceDim;
    expect(m).toBeLessThan(3);
    r = runCli(["sample", p("line3d-model.json"), "--n", "200", "--seed", "7", "--out", p("line3d-sub.csv")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${m} of 3 coordinates simulated, the rest drawn exactly`);
    expect(r.stderr).not.toContain("subspace=");
    r = runCli([
      "sample",
      p("line3d-model.json"),
      "--n",
      "200",
      "--seed",
      "7",
      "--no-subspace",
      "--out",
      p("line3d-all.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("coordinates simulated");
    // the provenance (on stderr) records the flag
    expect(r.stderr).toContain("subspace=false");
    const sub = readFileSync(p("line3d-sub.csv"), "utf8").split("\n");
    const all = readFileSync(p("line3d-all.csv"), "utf8").split("\n");
    expect(sub.slice(1)).not.toEqual(all.slice(1)); // different noise paths, same law (tested in @mixdiff/diffusion)
    expect(sub.length).toBe(all.length);
  });

  it("draws, prints and records a seed when --seed is absent; the recorded seed repeats the run", () => {
    let r = runCli(["generate", GMM2D, "--n", "50", "--out", p("g1.csv")]);
    expect(r.code).toBe(0);
    const seed = /seed: (\d+) \(drawn/.exec(r.stderr)?.[1];
    expect(seed).toBeDefined();
    // recorded in the provenance line on stderr, and in --json
    expect(r.stderr).toMatch(new RegExp(`mixdiff \\S+ generate spec=\\S+ n=50 seed=${seed}\\)`));
    const text = readFileSync(p("g1.csv"), "utf8");
    expect(runCli(["generate", GMM2D, "--n", "50", "--seed", seed!, "--out", p("g2.csv")]).code).toBe(0);
    expect(readFileSync(p("g2.csv"), "utf8")).toBe(text);
    r = runCli(["generate", GMM2D, "--n", "50", "--out", p("g3.csv"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = generateSummarySchema.parse(JSON.parse(r.stdout));
    expect(summary.seedDrawn).toBe(true);
    expect(r.stderr).toContain(`seed: ${summary.seed} (drawn`);
    expect(summary.provenance).toContain(`seed=${summary.seed}`);
    expect(runCli(["generate", GMM2D, "--n", "50", "--seed", String(summary.seed), "--out", p("g4.csv")]).code).toBe(0);
    expect(readFileSync(p("g4.csv"), "utf8")).toBe(readFileSync(p("g3.csv"), "utf8"));
  });

  it("reads stdin and writes stdout with `-`, bit-exact", () => {
    const g = runCli(["generate", GMM2D, "--n", "20", "--seed", "1", "--out", "-"]);
    expect(g.code).toBe(0);
    const s = runCli(["score", GMM2D, "--t", "1", "--points", "-", "--out", "-", "--what", "posterior-mean"], {
      input: g.stdout,
    });
    expect(s.code, s.stderr).toBe(0);
    expect(
      s.stdout
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("#")),
    ).toHaveLength(21);
    const lines = g.stdout.trim().split("\n").slice(1);
    for (const line of lines) for (const v of line.split(",")) expect(String(Number(v))).toBe(v);
  });
});

/** Every line of a CSV body is plain decimal numbers: what numpy.loadtxt and pandas read without options. */
const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const plainNumeric = (text: string, cols: number) => {
  const lines = text.split("\n");
  expect(lines.pop()).toBe("");
  for (const line of lines) {
    const fields = line.split(",");
    expect(fields, line).toHaveLength(cols);
    for (const f of fields) expect(f, line).toMatch(NUMBER);
  }
  return lines.length;
};

describe("CSV that tools read (issue 19 item 3)", () => {
  it("--no-header writes a plain numeric CSV; the provenance goes to stderr, or to --json", () => {
    let r = runCli(["generate", GMM2D, "--n", "200", "--seed", "3", "--no-header", "--out", p("plain.csv")]);
    expect(r.code, r.stderr).toBe(0);
    expect(plainNumeric(readFileSync(p("plain.csv"), "utf8"), 2)).toBe(200);
    expect(r.stderr).toMatch(/wrote 200 samples .*\(mixdiff \S+ generate spec=\S+gmm2d\.json n=200 seed=3\)/);
    r = runCli(["generate", GMM2D, "--n", "200", "--seed", "3", "--no-header", "--out", p("plain2.csv"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const g = generateSummarySchema.parse(JSON.parse(r.stdout));
    expect(g).toMatchObject({ n: 200, dim: 2, seed: 3, seedDrawn: false, header: false, columns: ["x1", "x2"] });
    expect(g.provenance).toMatch(/^mixdiff \S+ generate spec=\S+ n=200 seed=3$/);
    expect(readFileSync(p("plain2.csv"), "utf8")).toBe(readFileSync(p("plain.csv"), "utf8"));
    // sample and score too
    r = runCli([
      "sample",
      GMM2D,
      "--oracle",
      "--n",
      "50",
      "--steps",
      "10",
      "--seed",
      "4",
      "--no-header",
      "--out",
      p("plain-s.csv"),
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const s = sampleSummarySchema.parse(JSON.parse(r.stdout));
    expect(s).toMatchObject({ n: 50, dim: 2, steps: 10, method: "exponentialIntegrator", header: false });
    expect(s.model).toEqual({ file: GMM2D, kind: "spec" });
    expect(plainNumeric(readFileSync(p("plain-s.csv"), "utf8"), 2)).toBe(50);
    r = runCli([
      "score",
      GMM2D,
      "--t",
      "1",
      "--points",
      p("plain.csv"),
      "--no-header",
      "--out",
      p("plain-sc.csv"),
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(scoreSummarySchema.parse(JSON.parse(r.stdout))).toMatchObject({
      what: "score",
      columns: ["score1", "score2"],
    });
    expect(plainNumeric(readFileSync(p("plain-sc.csv"), "utf8"), 2)).toBe(200);
  });

  it("--provenance opts in to the `# mixdiff` line; it conflicts with --no-header, and --json with --out -", () => {
    let r = runCli(["generate", GMM2D, "--n", "5", "--seed", "3", "--provenance", "--out", p("prov.csv")]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(p("prov.csv"), "utf8").split("\n");
    expect(lines[0]).toMatch(/^# mixdiff \S+ generate spec=\S+ n=5 seed=3$/);
    expect(lines[1]).toBe("x1,x2");
    for (const [args, pattern] of [
      [
        ["generate", GMM2D, "--n", "5", "--provenance", "--no-header", "--out", p("x.csv")],
        /--provenance .* --no-header/,
      ],
      [["sample", GMM2D, "--oracle", "--n", "5", "--provenance", "--no-header", "--out", p("x.csv")], /choose one/],
      [["generate", GMM2D, "--n", "5", "--json", "--out", "-"], /--json and --out - both write to stdout/],
      [["score", GMM2D, "--t", "1", "--points", p("prov.csv"), "--json", "--out", "-"], /--json and --out -/],
    ] as const) {
      r = runCli(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe("");
      expect(existsSync(p("x.csv"))).toBe(false);
    }
  });

  it("fit refuses a label column (`generate --labels`) naming it, or drops it with --label-column", () => {
    expect(runCli(["generate", GMM2D, "--n", "600", "--seed", "8", "--labels", "--out", p("lab.csv")]).code).toBe(0);
    expect(readFileSync(p("lab.csv"), "utf8").split("\n")[0]).toBe("x1,x2,label");
    let r = runCli(["fit", p("lab.csv"), "--out", p("lab.json"), "--method", "em", "--k", "3", "--seed", "1"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /lab\.csv: column 3 "label" looks like a label column .* --label-column label, or pass --label-column none/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(p("lab.json"))).toBe(false);
    // without a header: the last column of small whole numbers next to fractional coordinates
    expect(
      runCli(["generate", GMM2D, "--n", "600", "--seed", "8", "--labels", "--no-header", "--out", p("lab-plain.csv")])
        .code,
    ).toBe(0);
    r = runCli(["fit", p("lab-plain.csv"), "--out", p("lab.json"), "--method", "em", "--k", "3", "--seed", "1"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /lab-plain\.csv: column 3 \(no header; it holds only small whole numbers\) looks like a label column/,
    );
    expect(existsSync(p("lab.json"))).toBe(false);
    // --label-column drops it (by name or number): the same fit as the file without it
    expect(runCli(["generate", GMM2D, "--n", "600", "--seed", "8", "--out", p("nolab.csv")]).code).toBe(0);
    const em = (data: string, out: string, extra: string[] = []) => {
      const res = runCli([
        "fit",
        p(data),
        "--out",
        p(out),
        "--method",
        "em",
        "--k",
        "3",
        "--seed",
        "1",
        "--json",
        ...extra,
      ]);
      expect(res.code, res.stderr).toBe(0);
      return fitSummarySchema.parse(JSON.parse(res.stdout));
    };
    const byName = em("lab.csv", "lab-name.json", ["--label-column", "label"]);
    expect(byName.data).toMatchObject({ dim: 2, droppedColumn: "label" });
    const byNumber = em("lab-plain.csv", "lab-num.json", ["--label-column", "3"]);
    expect(byNumber.data).toMatchObject({ dim: 2, droppedColumn: "column 3" });
    em("nolab.csv", "nolab.json");
    const means = (f: string) => JSON.parse(readFileSync(p(f), "utf8")).means;
    expect(means("lab-name.json")).toEqual(means("nolab.json"));
    expect(means("lab-num.json")).toEqual(means("nolab.json"));
    // `none` keeps every column (the caller says the column is data); an unknown name is a usage error
    expect(em("lab.csv", "lab-none.json", ["--label-column", "none"]).data.dim).toBe(3);
    r = runCli(["fit", p("lab.csv"), "--out", p("lab-x.json"), "--label-column", "species", "--seed", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--label-column species: .*lab\.csv has no such column \(header: x1, x2, label/);
    expect(existsSync(p("lab-x.json"))).toBe(false);
  });
});

describe("evaluate --held-out: held-out log-likelihood of a model file (issue 19 item 4)", () => {
  it("learned and EM models through the same interface; the gap to the truth is small and ≥ 0 up to its error", () => {
    expect(runCli(["generate", GMM2D, "--n", "2000", "--seed", "31", "--out", p("ho-train.csv")]).code).toBe(0);
    expect(runCli(["generate", GMM2D, "--n", "500", "--seed", "32", "--out", p("ho-test.csv")]).code).toBe(0);
    expect(
      runCli(["fit", p("ho-train.csv"), "--out", p("ho-model.json"), "--seed", "33", "--levels", "12", "--quiet"]).code,
    ).toBe(0);
    expect(
      runCli([
        "fit",
        p("ho-train.csv"),
        "--out",
        p("ho-em.json"),
        "--method",
        "em",
        "--k",
        "3",
        "--seed",
        "34",
        "--quiet",
      ]).code,
    ).toBe(0);
    const ll = (model: string) => {
      const r = runCli(["evaluate", "--model", p(model), "--held-out", p("ho-test.csv"), "--spec", GMM2D, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const ev = evaluateSummarySchema.parse(JSON.parse(r.stdout));
      expect(ev.samples).toBeUndefined();
      expect(ev.metrics).toEqual([]);
      return ev.logLikelihood!;
    };
    const learned = ll("ho-model.json");
    const em = ll("ho-em.json");
    expect(learned.modelKind).toBe("learned");
    expect(learned.method).toMatch(/probability-flow ODE with the exact divergence/);
    expect(em).toMatchObject({ modelKind: "em", method: "closed form" });
    for (const x of [learned, em]) {
      expect(x.heldOut).toMatchObject({ rows: 500, dim: 2 });
      // the truth's mean is the same number for both (same points, closed form)
      expect(x.truth!.mean).toBe(learned.truth!.mean);
      expect(x.gap!.mean).toBeCloseTo(x.truth!.mean - x.mean, 12);
      // gap = mean(ln p − ln p̂) estimates KL(truth ‖ model) ≥ 0: ≈ p/(2N) ≈ 2e-3 for a correct fit (Wilks, p = 8,
      // N = 2000); a lost component gives ≳ 0.3. Bounds: ≥ −4 standard errors (3e-5 false failures), < 0.05.
      expect(x.gap!.mean).toBeGreaterThan(-4 * x.gap!.standardError);
      expect(x.gap!.mean).toBeLessThan(0.05);
    }
    // the text form; and a usage error without --model
    let r = runCli(["evaluate", "--model", p("ho-em.json"), "--held-out", p("ho-test.csv")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/held-out log-likelihood of .*ho-em\.json on .*ho-test\.csv \(500 points/);
    expect(r.stdout).toMatch(/^ {2}model {2}-\d+\.\d{4} ± 0\.\d{4}$/m);
    r = runCli(["evaluate", "--held-out", p("ho-test.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/evaluate needs <samples\.csv> .* or --model with --held-out/);
  });
});

describe("exit codes and usage errors (RELIABILITY C10)", () => {
  it.each([
    [["--help"], 0, /Exit codes:/],
    [["--version"], 0, /\d+\.\d+\.\d+/],
    [["fit", "--help"], 0, /Examples:/],
    [["frobnicate"], 2, /usage error: unknown command/],
    [["generate", GMM2D, "--n", "10", "--out", "x.csv", "--bogus"], 2, /usage error: unknown option '--bogus'/],
    [["generate", GMM2D, "--out", "x.csv"], 2, /required option '--n <N>'/],
    [["generate", GMM2D, "--n", "abc", "--out", "x.csv"], 2, /--n "abc": expected an integer/],
    [["generate", GMM2D, "--n", "0", "--out", "x.csv"], 2, /--n 0: expected an integer in \[1,/],
    [["generate", GMM2D, "--n", "10", "--seed", "a/b", "--out", "x.csv"], 2, /--seed/],
    [["fit", "d.csv", "--out", "-", "--json"], 2, /--json and --out - both write to stdout/],
    [
      ["fit", "d.csv", "--out", "m.json", "--method", "em", "--degree", "3"],
      2,
      /--degree applies to --method diffusion only/,
    ],
    [["fit", "d.csv", "--out", "m.json", "--method", "newton"], 2, /Allowed choices are diffusion, em/],
    [["sample", GMM2D, "--n", "10", "--out", "x.csv"], 2, /pass --oracle/],
    [
      ["sample", GMM2D, "--oracle", "--n", "10", "--out", "x.csv", "--sampler", "magic"],
      2,
      /--sampler "magic": expected one of exponentialIntegrator/,
    ],
    [
      ["sample", GMM2D, "--oracle", "--n", "10", "--out", "x.csv", "--sampler", "ddpm", "--schedule", "vp"],
      2,
      /--schedule: the ddpm sampler does not use a schedule; it is used by eulerMaruyama, probabilityFlowEuler/,
    ],
    [["sample", GMM2D, "--oracle", "--n", "10", "--out", "x.csv", "--schedule", "vp"], 2, /does not use a schedule/],
    [["evaluate", "s.csv"], 2, /exactly one of --spec/],
    [["evaluate", "s.csv", "--spec", GMM2D, "--reference", "r.csv"], 2, /exactly one of --spec/],
    [
      ["generate", "missing-spec.json", "--n", "10", "--out", "x.csv"],
      3,
      /cannot read missing-spec\.json: no such file/,
    ],
    [
      ["bench", "--only", "nope"],
      2,
      /--only nope: unknown suite; expected some of polyregAccumulate, roofline, samplers, sampling, metrics, fit/,
    ],
  ])("%j → exit %i", (args, code, pattern) => {
    const r = runCli(args as string[], { cwd: dir });
    expect(r.code).toBe(code);
    expect(code === 0 ? r.stdout : r.stderr).toMatch(pattern);
    if (code !== 0) {
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, "x.csv"))).toBe(false);
      expect(existsSync(join(dir, "m.json"))).toBe(false);
    }
  });
});

describe("bad input: one stderr line with file:line:column, exit 3, nothing written (RELIABILITY C1)", () => {
  it.each([
    [
      "nan-last-row.csv",
      "x,y\n1,2\n3,4\n5,NaN\n",
      /nan-last-row\.csv:4:3: field 2 is "NaN" \(row 3, column 2\); all values must be finite/,
    ],
    ["inf.csv", "1,2\n-Infinity,4\n", /inf\.csv:2:1: field 1 is "-Infinity"/],
    ["overflow.csv", "1,2\n1e400,4\n", /overflow\.csv:2:1: field 1 is "1e400"/],
    ["ragged.csv", "1,2\n3\n", /ragged\.csv:2:1: expected 2 fields \(as in the first row\); got 1/],
    ["hex.csv", "1,2\n0x10,4\n", /hex\.csv:2:1: expected a decimal number in field 1; got "0x10"/],
    ["semicolon.csv", "1;2\n3;4\n", /semicolon\.csv:1:1: .*delimiter must be a comma/],
    ["empty.csv", "", /empty\.csv:1:1: .*no records/],
    ["header-only.csv", "x,y\n", /header-only\.csv:2:1: expected training data rows after the header; got none/],
    ["one-row.csv", "1,2\n", /fit needs at least 2 samples; got 1 sample/],
  ])("fit %s", (name, content, pattern) => {
    writeFileSync(p(name), content);
    const r = runCli(["fit", p(name), "--out", p(`${name}.model.json`), "--seed", "1"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(p(`${name}.model.json`))).toBe(false);
  });

  it("score: points of the wrong dimension name both numbers", () => {
    writeFileSync(p("pts3.csv"), "1,2,3\n");
    const r = runCli(["score", GMM2D, "--t", "1", "--points", p("pts3.csv"), "--out", p("sc.csv")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/pts3\.csv:1:1: expected 2 columns \(the model's dimension\); got 3/);
    expect(existsSync(p("sc.csv"))).toBe(false);
  });

  it.each([
    ["truncated", (s: string) => s.slice(0, Math.floor(s.length / 2)), /truncated or corrupt/],
    [
      "edited",
      (s: string) => s.replace(/"weights": \[\s*0\.\d/, (m) => `${m}1`),
      /checksum mismatch|invalid EM model file/,
    ],
    ["array", () => "[1,2]", /expected a JSON object/],
    ["zero bytes", () => "", /the file is empty/],
    [
      "newer major",
      (s: string) => s.replace('"version": 1', '"version": 2'),
      /version 2 is newer than this mixdiff supports \(1\); upgrade/,
    ],
  ])("model files: %s → exit 3 with a clear message", (name, edit, pattern) => {
    if (!existsSync(p("em-base.json"))) {
      writeFileSync(p("em-data.csv"), readFileSync(p("data.csv"), "utf8"));
      expect(
        runCli([
          "fit",
          p("em-data.csv"),
          "--out",
          p("em-base.json"),
          "--method",
          "em",
          "--k",
          "3",
          "--seed",
          "1",
          "--quiet",
        ]).code,
      ).toBe(0);
    }
    writeFileSync(p("em-bad.json"), edit(readFileSync(p("em-base.json"), "utf8")));
    const out = p(`em-bad-${name.replace(/\W/g, "")}.csv`);
    const r = runCli(["sample", p("em-bad.json"), "--n", "10", "--seed", "1", "--out", out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe("outputs: --force, atomic writes, interrupts, EPIPE (RELIABILITY C5)", () => {
  it("refuses an existing file without --force (exit 2, untouched) and replaces it with --force", () => {
    writeFileSync(p("keep.csv"), "old content\n");
    let r = runCli(["generate", GMM2D, "--n", "10", "--seed", "1", "--out", p("keep.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/file exists; pass --force/);
    expect(readFileSync(p("keep.csv"), "utf8")).toBe("old content\n");
    r = runCli(["generate", GMM2D, "--n", "10", "--seed", "1", "--out", p("keep.csv"), "--force"]);
    expect(r.code).toBe(0);
    expect(readFileSync(p("keep.csv"), "utf8")).toMatch(/^x1,x2\n/);
    expect(noTemps()).toEqual([]);
  });

  it("a missing destination directory is an input error, checked before any work", () => {
    const r = runCli(["generate", GMM2D, "--n", "10", "--seed", "1", "--out", p("no/such/dir/x.csv")]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/directory .* does not exist/);
  });

  it("removes stale temp files of a dead writer on the next write", () => {
    const stale = p(".stale.csv.mixdiff-tmp-999999-deadbeef");
    writeFileSync(stale, "partial");
    expect(runCli(["generate", GMM2D, "--n", "5", "--seed", "1", "--out", p("stale.csv")]).code).toBe(0);
    expect(existsSync(stale)).toBe(false);
  });

  it.each([
    // the fit runs on a worker thread, so SIGINT stops it at once
    ["SIGINT", 130, ["fit", "big.csv", "--out", "int.json", "--seed", "1", "--levels", "40"], /noise level/],
    [
      "SIGTERM",
      143,
      ["sample", GMM2D, "--oracle", "--n", "200000", "--steps", "400", "--seed", "1", "--out", "int.csv"],
      /samples/,
    ],
  ])("%s during work → exit %i, destination keeps its old bytes, no temp files", async (sig, code, args, progress) => {
    if (!existsSync(p("big.csv"))) {
      expect(runCli(["generate", GMM2D, "--n", "4000", "--seed", "1", "--out", p("big.csv")]).code).toBe(0);
    }
    const dest = p((args as string[])[(args as string[]).indexOf("--out") + 1]!);
    writeFileSync(dest, "previous bytes\n");
    const child = startCli([...(args as string[]), "--force"], { cwd: dir });
    let stderr = "";
    const done = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    await new Promise<void>((resolve) => {
      child.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
        if ((progress as RegExp).test(stderr)) resolve();
      });
    });
    child.kill(sig as NodeJS.Signals);
    expect(await done).toBe(code);
    expect(readFileSync(dest, "utf8")).toBe("previous bytes\n");
    expect(noTemps()).toEqual([]);
    expect(stderr).toMatch(/interrupted by SIG/);
  });

  it("sample streams its output: prefix-stable across n, and peak RSS stays under the documented 180 MiB", () => {
    let r = runCli([
      "sample",
      GMM2D,
      "--oracle",
      "--n",
      "100",
      "--steps",
      "20",
      "--seed",
      "5",
      "--out",
      p("pre-100.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    r = runCli([
      "sample",
      GMM2D,
      "--oracle",
      "--n",
      "5000",
      "--steps",
      "20",
      "--seed",
      "5",
      "--out",
      p("pre-5000.csv"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const rows = (f: string) => readFileSync(p(f), "utf8").split("\n").slice(1);
    expect(rows("pre-5000.csv").slice(0, 100)).toEqual(rows("pre-100.csv").slice(0, 100));
    // 500 000 rows in 2-D: holding them (points + text + buffer) would need ≈ 220 MiB; streamed ≈ 120 MiB.
    // Each further sampler worker is one more thread with its own heap (≈ 50 MiB), not more rows held.
    for (const [workers, mib] of [
      [1, 180],
      [2, 180 + 64],
    ] as const) {
      const big = runCliRss(
        ["sample", GMM2D, "--oracle", "--n", "500000", "--steps", "1", "--seed", "1"].concat([
          "--out",
          p(`rss${workers}.csv`),
          "--workers",
          String(workers),
        ]),
      );
      expect(big.code, big.stderr).toBe(0);
      expect(big.kib).toBeGreaterThan(0);
      expect(big.kib).toBeLessThan(mib * 1024);
    }
    expect(readFileSync(p("rss2.csv")).equals(readFileSync(p("rss1.csv")))).toBe(true);
  });

  it("a closed stdout pipe (| head) ends quietly with exit 0", () => {
    const r = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${CLI}" generate "${GMM2D}" --n 200000 --seed 1 --out - | head -n 3`],
      {
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(3);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe("demo", () => {
  it("runs the whole pipeline, writes pictures, and can be run again in its own directory", () => {
    const out = join(dir, "demo");
    const r = runCli(["demo", "--out", out, "--n", "2000", "--seed", "7"]);
    expect(r.code, r.stderr).toBe(0);
    // the results table is the command's output: on stdout (progress and timings on stderr)
    expect(r.stdout).toMatch(/diffusion \(paper\)\s+EM \(baseline\)/);
    expect(r.stdout).toMatch(/^heldOutLogLikelihood\s+-\d/m);
    expect(r.stderr).not.toMatch(/EM \(baseline\)/);
    for (const f of ["samples.png", "score-field.svg", "trajectory.png", "model.json", "em.json", "metrics.json"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const png = readFileSync(join(out, "samples.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf8"));
    expect(metrics.em.k).toBeGreaterThanOrEqual(1);
    // --json: the same results as metrics.json, plus the files, on stdout
    const again = runCli(["demo", "--out", out, "--n", "500", "--seed", "7", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    const j = demoSummarySchema.parse(JSON.parse(again.stdout));
    expect(j).toMatchObject({ command: "demo", n: 500, seed: 7, out });
    expect(j.files).toContain("samples.png");
    const { command: _, out: __, files: ___, ...results } = j;
    expect(results).toEqual(JSON.parse(readFileSync(join(out, "metrics.json"), "utf8")));
    // held-out log-likelihoods: both models below the truth's up to noise (gap ≈ KL ≥ 0), within 0.2 nats/point
    for (const m of [j.diffusion, j.em]) {
      const gap = j.heldOut.truth.mean - m.heldOutLogLikelihood.mean;
      expect(gap).toBeGreaterThan(-0.05);
      expect(gap).toBeLessThan(0.2);
    }
    // a directory the demo did not write is protected
    const other = join(dir, "not-a-demo");
    expect(runCli(["generate", GMM2D, "--n", "5", "--seed", "1", "--out", join(dir, "not-a-demo.csv")]).code).toBe(0);
    writeFileSync(join(dir, "model.json"), "mine");
    const refused = runCli(["demo", "--out", dir, "--n", "500"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/file exists; pass --force/);
    expect(readFileSync(join(dir, "model.json"), "utf8")).toBe("mine");
    expect(existsSync(other)).toBe(false);
  });
});
