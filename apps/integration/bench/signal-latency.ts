// How fast does every long command of the built CLI stop on SIGINT / SIGTERM (issue 18 item 3: within 2 s)? Starts
// each command, waits for its progress line (the work is under way), sends the signal and measures the time to
// exit. The CI tests check the exit codes and that nothing is written; this measures the latency, which a CI test
// must not assert. Not part of CI; run from the repository root after `pnpm build`:
//   ESB=$(ls -d node_modules/.pnpm/esbuild@*/node_modules/esbuild/bin/esbuild | sort -V | tail -1)
//   $ESB apps/integration/bench/signal-latency.ts --bundle --platform=node --format=esm \
//     --outfile=.tmp/bench/signal-latency.mjs && node .tmp/bench/signal-latency.mjs [--repeat 3]
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(process.env.MIXDIFF_ROOT ?? process.cwd());
const CLI = join(ROOT, "apps/cli/dist/cli.js");
const GMM2D = join(ROOT, "test-fixtures/eval/cases/gmm2d.json");
const i = process.argv.indexOf("--repeat");
const REPEAT = i >= 0 ? Number(process.argv[i + 1]) : 3;
const dir = mkdtempSync(join(tmpdir(), "mixdiff-latency-"));

function prepare(args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`setup failed: ${args.join(" ")}: ${r.stderr}`);
}

/** Runs `args`, signals once `waitFor` appears on stderr; returns the exit code and the signal-to-exit time. */
function measure(
  args: string[],
  waitFor: RegExp,
  signal: NodeJS.Signals,
  feed?: Buffer,
): Promise<{ code: number | null; ms: number }> {
  return new Promise((done) => {
    const c = spawn(process.execPath, [CLI, ...args], {
      cwd: dir,
      stdio: [feed ? "pipe" : "ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let sent = 0;
    const fire = () => {
      if (sent) return;
      sent = performance.now();
      c.kill(signal);
    };
    c.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (waitFor.test(stderr)) fire();
    });
    if (feed) {
      c.stdin?.on("error", () => {});
      c.stdin?.write(feed, fire);
    }
    c.on("exit", (code) => done({ code, ms: sent ? performance.now() - sent : Number.NaN }));
  });
}

prepare(["generate", GMM2D, "--n", "1000000", "--seed", "3", "--out", "big.csv"]);
prepare(["generate", GMM2D, "--n", "3000", "--seed", "1", "--out", "d.csv"]);
prepare(["fit", "d.csv", "--out", "m.json", "--levels", "4", "--seed", "2", "--quiet"]);
const cases: [string, string[], RegExp, Buffer?][] = [
  [
    "generate --n 1e8",
    ["generate", GMM2D, "--n", "100000000", "--seed", "1", "--out", "g.csv"],
    /generate: samples \d+/,
  ],
  ["fit (diffusion)", ["fit", "big.csv", "--out", "f.json", "--seed", "1", "--levels", "40"], /noise level \d+/],
  ["fit --method em", ["fit", "big.csv", "--out", "e.json", "--method", "em", "--seed", "1"], /EM: choosing k/],
  ["evaluate", ["evaluate", "big.csv", "--spec", GMM2D, "--seed", "1"], /evaluate: metrics/],
  ["score", ["score", "m.json", "--t", "1", "--points", "big.csv", "--out", "s.csv"], /score: points \d+/],
  ["sample", ["sample", "m.json", "--n", "10000000", "--seed", "1", "--out", "x.csv"], /sample: samples \d+/],
  ["demo", ["demo", "--out", "demo", "--n", "2000", "--seed", "7"], /fit \(diffusion\): /],
  ["fit - (stdin open)", ["fit", "-", "--out", "i.json", "--seed", "1"], /$^/, Buffer.alloc(8 << 20, "1,2\n")],
];
let worst = 0;
for (const [name, args, waitFor, feed] of cases) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const ms: number[] = [];
    for (let k = 0; k < REPEAT; k++) {
      const r = await measure(args, waitFor, signal, feed);
      const want = signal === "SIGINT" ? 130 : 143;
      if (r.code !== want) throw new Error(`${name} ${signal}: exit ${r.code}, expected ${want}`);
      ms.push(r.ms);
    }
    worst = Math.max(worst, ...ms);
    console.log(
      `${name.padEnd(20)} ${signal.padEnd(8)} exit ${signal === "SIGINT" ? 130 : 143}  ms: ${ms.map((m) => m.toFixed(0)).join(", ")}`,
    );
  }
}
console.log(`worst signal-to-exit latency: ${worst.toFixed(0)} ms over ${cases.length * 2 * REPEAT} runs`);
rmSync(dir, { recursive: true, force: true });
