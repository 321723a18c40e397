import { createPoints, isMixdiffError, MixdiffError } from "@mixdiff/core";
import { runTask } from "../compute.js";
import { defaultHeader, formatCsv } from "../csv.js";
import { CliError } from "../exit-codes.js";
import { claimStdin, displayName, parseNumberOption, readCsvFile } from "../input.js";
import { loadModelFile } from "../model-file.js";
import { OutputFile, yieldIfDue } from "../output.js";
import { Reporter } from "../reporter.js";
import { provenance } from "./common.js";

export interface ScoreCommandOptions {
  t: string;
  points: string;
  out: string;
  what: "score" | "posterior-mean" | "log-density";
  header: boolean;
  force?: boolean;
}

/**
 * `mixdiff score <model.json|spec.json> --t T --points points.csv --out values.csv [--what …]`. The points are read
 * streamed; the values are computed on the compute worker in chunks of rows and appended to the temp file as they
 * come, so Ctrl-C stops a long run at once.
 */
export async function score(modelPath: string, opts: ScoreCommandOptions): Promise<void> {
  const t = parseNumberOption("--t", opts.t, { min: 0 });
  claimStdin([
    ["<model.json|spec.json>", modelPath],
    ["--points", opts.points],
  ]);
  const out = new OutputFile(opts.out, { force: !!opts.force });
  const loaded = await loadModelFile(modelPath);
  const dim = loaded.kind === "learned" ? loaded.model.dim : loaded.distribution.dim;
  if (loaded.kind === "learned" && opts.what === "log-density") {
    throw new CliError(
      "usage",
      "--what log-density needs a distribution spec or an EM model (a learned score model has no normalised density)",
    );
  }
  const { points: y } = await readCsvFile(opts.points, { expectedCols: dim, what: `points in R^${dim}` });
  const header =
    opts.what === "log-density" ? ["logDensity"] : defaultHeader(dim, opts.what === "score" ? "score" : "mean");
  out.write(
    formatCsv(createPoints(0, header.length), {
      comments: [provenance("score", { model: modelPath, t, what: opts.what })],
      header: opts.header ? header : undefined,
    }),
  );
  const log = new Reporter(false);
  log.start("score", y.rows, "points");
  let done = 0;
  try {
    await runTask(
      "score",
      { model: loaded.source, points: y, t, what: opts.what },
      {
        transfer: [y.data.buffer as ArrayBuffer],
        onChunk: async (c) => {
          out.write(formatCsv(c.x));
          done += c.x.rows;
          log.update(done, "");
          await yieldIfDue();
        },
      },
    );
  } catch (e) {
    // name the file: "row 12" alone does not say where
    if (isMixdiffError(e) && e.location.row !== undefined) {
      throw new MixdiffError(e.code, `${displayName(opts.points)}: ${e.message}`, e.location, { ...e.details });
    }
    throw e;
  }
  log.stop();
  out.commit();
}
