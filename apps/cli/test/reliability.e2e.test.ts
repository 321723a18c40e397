// Issue 18 (hostile testing) and issue 17 (streaming), through the built CLI in real processes: interrupts of every
// long command, concurrent writers, --force on modes and symlinks, hostile model files, streamed input and output
// at bounded memory, and the smaller usage checks. Each test names the issue item it covers.
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createRng } from "@mixdiff/core";
import { createDistribution } from "@mixdiff/mixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, fnv1a64 } from "../../../packages/score/src/load-score-model";
import { defaultHeader, formatCsv } from "../src/csv.js";
import { CASES, CLI, runCli, runCliRss, signalDuringWork, tempDir } from "./run-cli.js";

const GMM2D = join(CASES, "gmm2d.json");
let dir = "";
let cleanup = () => {};
const p = (f: string) => join(dir, f);
const temps = (d = dir) => readdirSync(d).filter((f) => f.includes(".mixdiff-tmp-"));
const ok = (args: string[]) => {
  const r = runCli(args, { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return r;
};

beforeAll(() => {
  expect(existsSync(CLI), "dist/cli.js must be built by the global setup").toBe(true);
  ({ dir, cleanup } = tempDir());
  ok(["generate", GMM2D, "--n", "3000", "--seed", "1", "--out", p("d.csv")]);
  ok(["fit", p("d.csv"), "--out", p("m.json"), "--levels", "4", "--seed", "2", "--quiet"]);
  ok(["fit", p("d.csv"), "--out", p("em.json"), "--method", "em", "--k", "3", "--seed", "2", "--quiet"]);
  ok(["generate", GMM2D, "--n", "1000000", "--seed", "3", "--out", p("big.csv")]); // ≈ 38 MB
}, 300_000);
afterAll(() => cleanup());

/** The learned model file with `edit` applied and a valid checksum again (a hostile, well-signed file). */
function forgedModel(edit: (j: { model: Record<string, unknown>; diagnostics: unknown }) => void): string {
  const j = JSON.parse(readFileSync(p("m.json"), "utf8"));
  edit(j);
  j.checksum = fnv1a64(canonicalJson({ diagnostics: j.diagnostics, model: j.model }));
  return JSON.stringify(j);
}

describe("interrupts end every long command at once, with no output (issue 18 items 3, 6)", () => {
  const gen = ["generate", GMM2D, "--n", "100000000", "--seed", "1"];
  const em = ["fit", "big.csv", "--method", "em", "--seed", "1"];
  const ev = ["evaluate", "big.csv", "--spec", GMM2D, "--seed", "1"];
  const sc = ["score", "m.json", "--t", "1", "--points", "big.csv"];
  // [command, signal, exit code, args, progress line to wait for, writes to --out]
  it.each([
    ["generate --n 10^8", "SIGINT", 130, gen, /generate: samples \d+/, true],
    ["generate --n 10^8", "SIGTERM", 143, gen, /generate: samples \d+/, true],
    // EM (k by BIC on 10^6 rows) ran in-process for minutes and ignored both signals
    ["fit --method em", "SIGTERM", 143, em, /EM: choosing k/, true],
    ["fit --method em", "SIGINT", 130, em, /EM: choosing k/, true],
    // evaluate ignored both signals and exited 0 after the metrics
    ["evaluate", "SIGINT", 130, ev, /evaluate: metrics/, false],
    ["evaluate", "SIGTERM", 143, ev, /evaluate: metrics/, false],
    ["score", "SIGINT", 130, sc, /score: points \d+/, true],
  ] as const)("%s, %s → exit %i, nothing written", async (_name, signal, code, args, waitFor, writes) => {
    const out = `int-${signal}-${args[0]}.out`;
    const r = await signalDuringWork([...args, ...(writes ? ["--out", out] : [])], { cwd: dir, waitFor, signal });
    expect(r.hung, `no exit after ${signal}; stderr: ${r.stderr}`).toBe(false);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).toMatch(new RegExp(`interrupted by ${signal}; no output was written`));
    expect(r.stdout).toBe("");
    expect(existsSync(p(out))).toBe(false);
    expect(temps()).toEqual([]);
  });

  it("fit - (stdin held open) → SIGINT ends the read at once (it waited for the end of input)", async () => {
    const feed = readFileSync(p("big.csv")).subarray(0, 8 << 20); // 8 MiB, then the pipe stays open
    const r = await signalDuringWork(["fit", "-", "--out", "stdin-model.json", "--seed", "1"], {
      cwd: dir,
      signal: "SIGINT",
      feed,
    });
    expect(r.hung, r.stderr).toBe(false);
    expect(r.code, r.stderr).toBe(130);
    expect(existsSync(p("stdin-model.json"))).toBe(false);
    expect(temps()).toEqual([]);
  });

  it.each([
    ["during the EM fit", /fit \(diffusion\): /],
    ["during sampling and the metrics", /sample: \d+ from each model/],
  ])(
    "demo interrupted %s → exit 130 and no file at all (it left data.csv, em.json, model.json)",
    async (_w, waitFor) => {
      const out = p(`demo-int-${waitFor.source.length}`);
      const r = await signalDuringWork(["demo", "--out", out, "--n", "2000", "--seed", "7"], {
        cwd: dir,
        waitFor,
        signal: "SIGINT",
      });
      expect(r.hung, r.stderr).toBe(false);
      expect(r.code, r.stderr).toBe(130);
      expect(existsSync(out), "the directory the demo created is removed again").toBe(false);
    },
  );

  it("demo on a directory that cannot be created is an input error (exit 3), not an internal error", () => {
    const r = runCli(["demo", "--out", "/sys/kernel/mixdiff-demo", "--n", "500"], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/cannot create directory \/sys\/kernel\/mixdiff-demo/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("outputs: concurrent writers, --force, unwritable places (issue 18 items 4, 7, 8, 11)", () => {
  it("four concurrent runs onto one --out without --force: exactly one wins, ten rounds in a row", async () => {
    const ref = (s: number) => readFileSync(p(`ref-${s}.csv`));
    for (const s of [1, 2, 3, 4])
      ok(["generate", GMM2D, "--n", "3000", "--seed", String(s), "--out", p(`ref-${s}.csv`)]);
    for (let round = 0; round < 10; round++) {
      const out = p(`race-${round}.csv`);
      const runs = [1, 2, 3, 4].map(
        (s) =>
          new Promise<{ s: number; code: number | null; stderr: string }>((resolve) => {
            const c = spawn(process.execPath, [
              CLI,
              "generate",
              GMM2D,
              "--n",
              "3000",
              "--seed",
              String(s),
              "--out",
              out,
            ]);
            let stderr = "";
            c.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            c.on("exit", (code) => resolve({ s, code, stderr }));
          }),
      );
      const res = await Promise.all(runs);
      const winners = res.filter((r) => r.code === 0);
      expect(
        winners.map((w) => w.s),
        `round ${round}`,
      ).toHaveLength(1);
      for (const r of res.filter((x) => x.code !== 0)) {
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/file exists/);
      }
      expect(readFileSync(out).equals(ref(winners[0]!.s))).toBe(true);
      expect(temps()).toEqual([]);
    }
  });

  it("--force keeps a 0600 file 0600 and writes through a symlink, keeping the link", () => {
    writeFileSync(p("secret.csv"), "old\n");
    chmodSync(p("secret.csv"), 0o600);
    ok(["generate", GMM2D, "--n", "10", "--seed", "1", "--out", p("secret.csv"), "--force"]);
    expect(statSync(p("secret.csv")).mode & 0o777).toBe(0o600);
    expect(readFileSync(p("secret.csv"), "utf8")).toMatch(/^x1,x2\n/);
    mkdirSync(p("store"));
    writeFileSync(p("store/target.csv"), "old\n");
    symlinkSync(p("store/target.csv"), p("link.csv"));
    ok(["generate", GMM2D, "--n", "10", "--seed", "1", "--out", p("link.csv"), "--force"]);
    expect(lstatSync(p("link.csv")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(p("link.csv"))).toBe(p("store/target.csv"));
    expect(readFileSync(p("store/target.csv"), "utf8")).toBe(readFileSync(p("secret.csv"), "utf8"));
    expect(temps(p("store"))).toEqual([]);
  });

  it("bench --out onto an existing file needs --force, and says so before running any suite", () => {
    writeFileSync(p("bench.json"), "mine\n");
    const r = runCli(["bench", "--quick", "--only", "metrics", "--out", p("bench.json")], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bench\.json: file exists; pass --force/);
    expect(r.stderr).not.toMatch(/bench: metrics/);
    expect(readFileSync(p("bench.json"), "utf8")).toBe("mine\n");
  });

  it("an unwritable destination is reported before the fit starts (it was found after the whole fit)", () => {
    const r = runCli(["fit", p("d.csv"), "--out", "/sys/kernel/mixdiff-model.json", "--seed", "1"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot write \/sys\/kernel\/mixdiff-model\.json/);
    expect(r.stderr).not.toMatch(/noise level/);
  });
});

describe("streaming (issue 17, issue 18 items 2 and 11)", () => {
  it("generate streams: 10^6 rows with peak RSS under 250 MiB (it held the whole CSV: ≈ 345 MiB)", () => {
    const r = runCliRss(["generate", GMM2D, "--n", "1000000", "--seed", "5", "--out", p("rss-gen.csv")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.kib).toBeGreaterThan(0);
    expect(r.kib).toBeLessThan(250 * 1024);
  });

  it("generate in chunks gives the bytes of one draw of all n (labels, several chunks)", () => {
    const n = 40_000; // three chunks of 16 384 rows
    ok(["generate", GMM2D, "--n", String(n), "--seed", "11", "--labels", "--provenance", "--out", p("chunked.csv")]);
    const spec = JSON.parse(readFileSync(GMM2D, "utf8"));
    const { x, labels } = createDistribution(spec).sample(n, createRng(11), { latent: true });
    const whole = formatCsv(x, {
      comments: [`mixdiff 0.0.0 generate spec=${GMM2D} n=${n} seed=11 labels=true`],
      header: defaultHeader(2),
      extra: { name: "label", values: labels! },
    });
    expect(readFileSync(p("chunked.csv"), "utf8")).toBe(whole);
  });

  it("score reads a 38 MB CSV streamed into doubles: peak RSS under 300 MiB (the whole-string reader took ≈ 1.1 GiB)", () => {
    const r = runCliRss(["score", GMM2D, "--t", "1", "--points", p("big.csv"), "--out", p("big-scores.csv")]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(p("big-scores.csv"), "utf8").split("\n")).toHaveLength(1_000_002); // header, 10^6 rows, final newline
    expect(r.kib).toBeGreaterThan(0);
    expect(r.kib).toBeLessThan(300 * 1024);
  });
});

describe("hostile model files (issue 18 items 5, 9, 11)", () => {
  it("20 000 nested objects inside diagnostics: exit 3 MODEL_FORMAT naming the path (was exit 1, stack overflow)", () => {
    const text = readFileSync(p("m.json"), "utf8").replace(
      '"diagnostics":{',
      `"diagnostics":{"deep":${'{"x":'.repeat(20_000)}{}${"}".repeat(20_000)},`,
    );
    writeFileSync(p("deep.json"), text);
    const r = runCli(["sample", p("deep.json"), "--n", "5", "--seed", "1", "--out", p("deep.csv")], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/diagnostics\.deep\.x\.x.*nested deeper than 32 .*\[MODEL_FORMAT\]/);
    expect(existsSync(p("deep.csv"))).toBe(false);
  });

  it.each([
    // loaded, then failed in the sampler with exit 2 and a message about tMin
    [
      "σ0 = 1e-300",
      (j: { model: Record<string, unknown> }) => void (j.model.sigma0 = 1e-300),
      /model\.sigma0 must be in \[1e-150, 1e\+150\]/,
    ],
    // σ0 in range, but the top level is below the samplers' end time 1e-3·σ0²
    [
      "σ0 = 1e5",
      (j: { model: Record<string, unknown> }) => void (j.model.sigma0 = 1e5),
      /model\.levels\[0\]\.t = [\d.e+]+ must be above the samplers' end time/,
    ],
  ])("a re-signed model with %s: exit 3 naming the field (not a usage error)", (_n, edit, pattern) => {
    writeFileSync(p("hostile.json"), forgedModel(edit));
    const r = runCli(["sample", p("hostile.json"), "--n", "5", "--seed", "1", "--out", p("hostile.csv")], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(pattern);
  });

  it("EM model files refuse unknown fields (they were ignored)", () => {
    const em = JSON.parse(readFileSync(p("em.json"), "utf8"));
    writeFileSync(p("em-extra.json"), JSON.stringify({ ...em, extra: { note: 1 } }));
    const r = runCli(["sample", p("em-extra.json"), "--n", "5", "--seed", "1", "--out", p("em-extra.csv")], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/invalid EM model file: .*[Uu]nrecognized key.*extra/);
  });
});

describe("smaller usage and input checks (issue 18 item 11)", () => {
  it("a 1e308 value names the file, line, column and the limit (the error named none)", () => {
    const rows = readFileSync(p("d.csv"), "utf8").split("\n").slice(2, 60); // 58 data rows after the header
    writeFileSync(p("huge.csv"), `x,y\n${rows.join("\n")}\n1e308,1\n`); // line 60, row 59
    for (const args of [
      ["fit", p("huge.csv"), "--out", p("huge.json"), "--seed", "1"],
      ["fit", p("huge.csv"), "--out", p("huge.json"), "--seed", "1", "--method", "em", "--k", "2"],
      ["score", GMM2D, "--t", "1", "--points", p("huge.csv"), "--out", p("huge-s.csv")],
    ]) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(
        /huge\.csv:60:1: field 1 is "1e308" \(row 59, column 1\); values must be within ±1e\+150/,
      );
    }
  });

  it.each([
    // passed the CLI, then failed in the library with a message about `levels`; now refused before reading data
    [["fit", "missing.csv", "--out", "m1.json", "--levels", "1"], /--levels 1: expected an integer in \[2, 100000\]/],
    [["generate", GMM2D, "--n", "1e12", "--out", "x.csv"], /--n 1e12: 1000000000000 is above the limit of 100000000/],
    [
      ["sample", GMM2D, "--oracle", "--n", "2e8", "--out", "x.csv"],
      /--n 2e8: 200000000 is above the limit of 100000000/,
    ],
    // stdin twice was not refused up front
    [
      ["score", "-", "--t", "1", "--points", "-", "--out", "x.csv"],
      /stdin \(-\) can be used for only one input; got it for <model\.json\|spec\.json> and --points/,
    ],
    [
      ["evaluate", "-", "--reference", "-"],
      /stdin \(-\) can be used for only one input; got it for <samples\.csv> and --reference/,
    ],
  ])("%j → usage error (exit 2) naming the limit", (args, pattern) => {
    const r = runCli(args as string[], { cwd: dir, input: "" });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
