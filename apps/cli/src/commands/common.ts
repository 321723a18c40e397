import type { Seed } from "@mixdiff/core";
import { CliError } from "../exit-codes.js";
import { CLI_VERSION } from "../program.js";

/**
 * The provenance of an output (`mixdiff <version> <command> key=value …`): printed on stderr, recorded in `--json`
 * summaries, and written as the CSV's first line (`# …`) only with `--provenance`.
 */
export function provenance(command: string, fields: Record<string, string | number | boolean | undefined>): string {
  const parts = [`mixdiff ${CLI_VERSION}`, command];
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) parts.push(`${k}=${String(v)}`);
  return parts.join(" ");
}

/** How a seed is shown and recorded: integers as digits, strings JSON-quoted when they contain spaces. */
export function showSeed(seed: Seed): string {
  return typeof seed === "number" || /^[\w.:-]+$/.test(seed) ? String(seed) : JSON.stringify(seed);
}

/** The CSV output flags of `generate`, `sample` and `score`. */
export interface CsvOutputFlags {
  out: string;
  /** false with `--no-header`. */
  header: boolean;
  provenance?: boolean;
  json?: boolean;
}

/**
 * Refuses conflicting CSV output flags before any work: `--json` with `--out -` (both on stdout), and `--provenance`
 * with `--no-header` (`--no-header` promises a plain numeric CSV, with no comment line).
 */
export function checkCsvOutputFlags(o: CsvOutputFlags): void {
  if (o.json && o.out === "-") throw new CliError("usage", "--json and --out - both write to stdout; choose one");
  if (o.provenance && !o.header) {
    throw new CliError(
      "usage",
      "--provenance writes a `# mixdiff …` comment line, and --no-header promises a plain numeric CSV; choose one",
    );
  }
}

/** The comment lines of a CSV output: the provenance line with `--provenance`, else none. */
export function csvComments(o: CsvOutputFlags, line: string): string[] {
  return o.provenance ? [line] : [];
}
