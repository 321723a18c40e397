import { existsSync } from "node:fs";
import { join } from "node:path";
import { sampleMetricNames, sampleMetrics } from "@mixdiff/metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateSummarySchema } from "../src/json-schemas.js";
import { CASES, CLI, runCli, tempDir } from "./run-cli.js";

// `evaluate --metrics` and its help come from the metrics registry (issue 20).
const GMM2D = join(CASES, "gmm2d.json");
let dir = "";
let cleanup = () => {};
const p = (f: string) => join(dir, f);

beforeAll(() => {
  expect(existsSync(CLI), "dist/cli.js must be built by the global setup").toBe(true);
  ({ dir, cleanup } = tempDir());
  expect(runCli(["generate", GMM2D, "--n", "300", "--seed", "41", "--out", p("s.csv")]).code).toBe(0);
  expect(runCli(["generate", GMM2D, "--n", "300", "--seed", "42", "--out", p("r.csv")]).code).toBe(0);
});
afterAll(() => cleanup());

describe("evaluate --metrics", () => {
  it("the help lists every registry metric with its description", () => {
    const r = runCli(["evaluate", "--help"]);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, " ");
    for (const [name, m] of Object.entries(sampleMetrics)) expect(help).toContain(`${name} ${m.description}`);
    expect(help).toContain(sampleMetricNames.join(", "));
  });

  it("computes the listed metrics in order, the same values as the full table", () => {
    const run = (extra: string[]) => {
      const r = runCli(["evaluate", p("s.csv"), "--example", "gmm2d", "--seed", "5", "--json", ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return evaluateSummarySchema.parse(JSON.parse(r.stdout)).metrics;
    };
    const all = run([]);
    expect(all.map((m) => m.name)).toEqual(sampleMetricNames);
    const some = run(["--metrics", "nllGap, energyDistance"]);
    expect(some.map((m) => m.name)).toEqual(["nllGap", "energyDistance"]);
    for (const m of some) expect(m).toEqual(all.find((a) => a.name === m.name));
  });

  it("usage errors (exit 2) name the problem", () => {
    const err = (args: string[]) => {
      const r = runCli(["evaluate", ...args, "--seed", "1"]);
      expect(r.code).toBe(2);
      return r.stderr;
    };
    expect(err([p("s.csv"), "--reference", p("r.csv"), "--metrics", "mmd"])).toMatch(
      /unknown metric "mmd"; choose from mmd2/,
    );
    expect(err([p("s.csv"), "--reference", p("r.csv"), "--metrics", "nllGap"])).toMatch(
      /nllGap needs the true density/,
    );
    expect(err([p("s.csv"), "--reference", p("r.csv"), "--metrics", "mmd2,mmd2"])).toMatch(/listed twice/);
  });
});
