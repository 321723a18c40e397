import { createPoints, type Seed } from "@mixdiff/core";
import { runTask } from "../compute.js";
import { defaultHeader, formatCsv } from "../csv.js";
import { specSource } from "../examples.js";
import { parseIntOption, resolveSeed } from "../input.js";
import { OutputFile, writeStdout, yieldIfDue } from "../output.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";
import { checkCsvOutputFlags, csvComments, provenance, showSeed } from "./common.js";

export interface GenerateOptions {
  n: string;
  out: string;
  seed?: string;
  labels?: boolean;
  example?: string;
  header: boolean;
  provenance?: boolean;
  json?: boolean;
  force?: boolean;
}

/** The machine-readable summary printed by `generate --json` (schema in json-schemas.ts). */
export interface GenerateSummary {
  command: "generate";
  version: string;
  seed: Seed;
  seedDrawn: boolean;
  spec: string;
  n: number;
  dim: number;
  /** Column names (the header's, also when `--no-header` omitted it from the file). */
  columns: string[];
  header: boolean;
  out: string;
  provenance: string;
}

/** Largest `--n` of `generate` and `sample` (10^8 rows; the output is streamed, so memory does not grow with it). */
export const MAX_ROWS = 100_000_000;

/**
 * `mixdiff generate (<spec.json> | --example NAME) --n N --seed S --out data.csv [--labels]`. The draws run on the compute worker in
 * chunks (row i uses stream i, so the bytes equal one draw of all n); each chunk is formatted and appended to the
 * temp file, which is published at the end: memory stays bounded for any n, and Ctrl-C stops it at once. The CSV is
 * plain (an optional header, then numbers); the provenance goes to stderr, to `--json`, and with `--provenance` into
 * a first comment line.
 */
export async function generate(specPath: string | undefined, opts: GenerateOptions): Promise<void> {
  const source = specSource(specPath, opts.example, "<spec.json>");
  const n = parseIntOption("--n", opts.n, 1, MAX_ROWS);
  checkCsvOutputFlags(opts);
  const { seed, drawn } = resolveSeed(opts.seed);
  const out = new OutputFile(opts.out, { force: !!opts.force });
  const { spec } = await source.load();
  const log = new Reporter(!!opts.json);
  if (drawn) new Reporter(false).info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const labels = opts.labels ? { name: "label", values: [] as number[] } : undefined;
  const origin = provenance("generate", {
    spec: source.label,
    n,
    seed: showSeed(seed),
    labels: opts.labels || undefined,
  });
  const columns = [...defaultHeader(spec.dim), ...(labels ? [labels.name] : [])];
  out.write(
    formatCsv(createPoints(0, spec.dim), {
      comments: csvComments(opts, origin),
      header: opts.header ? defaultHeader(spec.dim) : undefined,
      extra: labels,
    }),
  );
  log.start("generate", n, "samples");
  let done = 0;
  await runTask(
    "draw",
    { source: { kind: "spec", spec, latent: !!opts.labels }, n, seed },
    {
      onChunk: async (c) => {
        out.write(formatCsv(c.x, { extra: c.labels && { name: "label", values: c.labels } }));
        done += c.x.rows;
        log.update(done, "");
        await yieldIfDue();
      },
    },
  );
  log.stop();
  out.commit();
  if (opts.json) {
    const summary: GenerateSummary = {
      command: "generate",
      version: CLI_VERSION,
      seed,
      seedDrawn: drawn,
      spec: source.label,
      n,
      dim: spec.dim,
      columns,
      header: opts.header,
      out: opts.out,
      provenance: origin,
    };
    writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const where = opts.out === "-" ? "stdout" : opts.out;
    log.info(`wrote ${n} samples of dimension ${spec.dim} to ${where} (${origin})`);
  }
}
