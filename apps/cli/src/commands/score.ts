import { assertFinite, type Points } from "@mixdiff/core";
import { defaultHeader, formatCsv } from "../csv.js";
import { CliError } from "../exit-codes.js";
import { displayName, parseNumberOption, readCsvFile } from "../input.js";
import { loadModelFile } from "../model-file.js";
import { checkpoint, checkWritable, writeOutput } from "../output.js";
import { provenance } from "./common.js";

export interface ScoreCommandOptions {
  t: string;
  points: string;
  out: string;
  what: "score" | "posterior-mean" | "log-density";
  header: boolean;
  force?: boolean;
}

/** `mixdiff score <model.json|spec.json> --t T --points points.csv --out values.csv [--what …]`. */
export async function score(modelPath: string, opts: ScoreCommandOptions): Promise<void> {
  const t = parseNumberOption("--t", opts.t, { min: 0 });
  checkWritable(opts.out, !!opts.force);
  const loaded = loadModelFile(modelPath);
  const dim = loaded.kind === "learned" ? loaded.model.dim : loaded.distribution.dim;
  if (loaded.kind === "learned" && opts.what === "log-density") {
    throw new CliError(
      "usage",
      "--what log-density needs a distribution spec or an EM model (a learned score model has no normalised density)",
    );
  }
  const { points: y } = readCsvFile(opts.points, { expectedCols: dim, what: `points in R^${dim}` });
  let values: Points;
  let header: string[];
  if (opts.what === "log-density") {
    const ld = loaded.kind === "learned" ? new Float64Array(0) : loaded.distribution.logDensity(y, t);
    values = { data: ld, rows: y.rows, cols: 1 };
    header = ["logDensity"];
  } else {
    const src = loaded.kind === "learned" ? loaded.model : loaded.distribution;
    values = opts.what === "score" ? src.score(y, t) : src.posteriorMean(y, t);
    header = defaultHeader(dim, opts.what === "score" ? "score" : "mean");
  }
  assertFinite(values, `${opts.what} at ${displayName(opts.points)}`);
  const text = formatCsv(values, {
    comments: [provenance("score", { model: modelPath, t, what: opts.what })],
    header: opts.header ? header : undefined,
  });
  await checkpoint();
  writeOutput(opts.out, text, { force: !!opts.force });
}
