import { createRng } from "@mixdiff/core";
import { defaultHeader, formatCsv } from "../csv.js";
import { specSource } from "../examples.js";
import { parseIntOption, resolveSeed } from "../input.js";
import { checkpoint, checkWritable, writeOutput } from "../output.js";
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

/** `mixdiff generate (<spec.json> | --example NAME) --n N --seed S --out data.csv [--labels]`. */
export async function generate(specPath: string | undefined, opts: GenerateOptions): Promise<void> {
  const source = specSource(specPath, opts.example, "<spec.json>");
  const n = parseIntOption("--n", opts.n, 1, 100_000_000);
  const { seed, drawn } = resolveSeed(opts.seed);
  checkWritable(opts.out, !!opts.force);
  const { distribution } = source.load();
  const log = new Reporter(false);
  if (drawn) log.info(`seed: ${showSeed(seed)} (drawn; pass --seed ${showSeed(seed)} to repeat)`);
  const rng = createRng(seed);
  const { x, labels } = distribution.sample(n, rng, { latent: !!opts.labels });
  const text = formatCsv(x, {
    comments: [provenance("generate", { spec: source.label, n, seed: showSeed(seed) })],
    header: opts.header ? defaultHeader(x.cols) : undefined,
    extra: opts.labels && labels ? { name: "label", values: labels } : undefined,
  });
  await checkpoint();
  writeOutput(opts.out, text, { force: !!opts.force });
  if (opts.out !== "-") log.info(`wrote ${n} samples of dimension ${x.cols} to ${opts.out}`);
}
