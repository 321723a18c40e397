import { dirname } from "node:path";
import { type BenchSuiteName, benchSuites } from "../bench/suites.js";
import { CliError } from "../exit-codes.js";
import { ensureDirectory, OutputFile, writeStdout } from "../output.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";

export interface BenchOptions {
  quick?: boolean;
  json?: boolean;
  out: string;
  only?: string;
  force?: boolean;
  /** True when `--out` was given on the command line (the default path is a scratch file, refreshed freely). */
  outGiven?: boolean;
}

/** `mixdiff bench [--quick] [--json] [--out FILE] [--only a,b]`: runs every registered suite. */
export async function bench(opts: BenchOptions): Promise<void> {
  const names = Object.keys(benchSuites) as BenchSuiteName[];
  const chosen = opts.only === undefined ? names : opts.only.split(",").map((s) => s.trim());
  for (const c of chosen) {
    if (!(names as string[]).includes(c))
      throw new CliError("usage", `--only ${c}: unknown suite; expected some of ${names.join(", ")}`);
  }
  // An explicit --out is protected like every other output (refused without --force, before the suites run);
  // the default .tmp/bench/bench-results.json is a git-ignored scratch file that each run refreshes.
  if (opts.out !== "-") ensureDirectory(dirname(opts.out));
  const out = new OutputFile(opts.out, { force: !!opts.force || !opts.outGiven });
  const log = new Reporter(!!opts.json);
  const results: Record<string, unknown[]> = {};
  const t0 = Date.now();
  for (const name of chosen as BenchSuiteName[]) {
    log.info(`bench: ${name}${opts.quick ? " (quick)" : ""} …`);
    const s = Date.now();
    results[name] = (await benchSuites[name].run({ quick: !!opts.quick })) as unknown[];
    log.info(`bench: ${name} done in ${((Date.now() - s) / 1000).toFixed(1)} s`);
  }
  const report = {
    tool: "mixdiff bench",
    version: CLI_VERSION,
    quick: !!opts.quick,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    totalMs: Date.now() - t0,
    suites: results,
  };
  out.write(`${JSON.stringify(report, null, 2)}\n`);
  out.commit();
  if (opts.json) {
    writeStdout(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  for (const [name, rows] of Object.entries(results)) {
    process.stdout.write(`\n${name}\n${formatRows(rows as Record<string, unknown>[])}\n`);
  }
  log.info(`\nresults written to ${opts.out}`);
}

/** A plain text table of benchmark rows (all columns, numbers to 4 significant digits). */
export function formatRows(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return "(no rows)";
  const cols = Object.keys(rows[0]!).filter((c) => c !== "package");
  const cell = (v: unknown) =>
    typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v);
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join("  ");
  return [
    line(cols),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(cols.map((c) => cell(r[c])))),
  ].join("\n");
}
