import { createPoints } from "@mixdiff/core";
import { runTask } from "../compute.js";
import { defaultHeader, formatCsv } from "../csv.js";
import { specSource } from "../examples.js";
import { parseIntOption, resolveSeed } from "../input.js";
import { OutputFile, yieldIfDue } from "../output.js";
import { Reporter } from "../reporter.js";
import { provenance, showSeed } from "./common.js";

export interface GenerateOptions {
  n: string;
  out: string;
  seed?: string;
  labels?: boolean;
  example?: string;
  header: boolean;
  force?: boolean;
}

/** Largest `--n` of `generate` and `sample` (10^8 rows; the output is streamed, so memory does not grow with it). */
export const MAX_ROWS = 100_000_000;

/**
 * `mixdiff generate (<spec.json> | --example NAME) --n N --seed S --out data.csv [--labels]`. The draws run on the compute worker in
 * chunks (row i uses stream i, so the bytes equal one draw of all n); each chunk is formatted and appended to the
 * temp file, which is published at the end: memory stays bounded for any n, and Ctrl-C stops it at once.
 */
export async function generate(specPath: string | undefined, opts: GenerateOptions): Promise<void> {
  const source = specSource(specPath, opts.example, "<spec.json>");
  const n = parseIntOption("--n", opts.n, 1, MAX_ROWS);
  const { seed, drawn } = resolveSeed(opts.seed);
  const out = new OutputFile(opts.out, { force: !!opts.force });
  const { spec } = await source.load();
  const log = new Reporter(false);
  if (drawn) log.info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const labels = opts.labels ? { name: "label", values: [] as number[] } : undefined;
  out.write(
    formatCsv(createPoints(0, spec.dim), {
      comments: [provenance("generate", { spec: source.label, n, seed: showSeed(seed) })],
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
  if (opts.out !== "-") log.info(`wrote ${n} samples of dimension ${spec.dim} to ${opts.out}`);
}
