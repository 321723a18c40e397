import { createPoints, isMixdiffError, MixdiffError } from "@mixdiff/core";
import { runTask } from "../compute.js";
import { defaultHeader, formatCsv } from "../csv.js";
import { claimStdin, displayName, parseNumberOption, readCsvFile } from "../input.js";
import { loadModelFile } from "../model-file.js";
import { OutputFile, writeStdout, yieldIfDue } from "../output.js";
import { CLI_VERSION } from "../program.js";
import { Reporter } from "../reporter.js";
import { checkCsvOutputFlags, csvComments, provenance } from "./common.js";

export interface ScoreCommandOptions {
  t: string;
  points: string;
  out: string;
  what: "score" | "posterior-mean" | "log-density";
  header: boolean;
  provenance?: boolean;
  json?: boolean;
  force?: boolean;
}

/** The machine-readable summary printed by `score --json` (schema in json-schemas.ts). */
export interface ScoreSummary {
  command: "score";
  version: string;
  model: { file: string; kind: "learned" | "em" | "spec" };
  what: "score" | "posterior-mean" | "log-density";
  t: number;
  points: { file: string; rows: number; dim: number };
  /** How the values were computed: "closed form", the probability-flow ODE (learned log-density), or the model's own. */
  method: string;
  /** Column names (the header's, also when `--no-header` omitted it from the file). */
  columns: string[];
  header: boolean;
  out: string;
  provenance: string;
}

/**
 * `mixdiff score <model.json|spec.json> --t T --points points.csv --out values.csv [--what …]`. The points are read
 * streamed; the values are computed on the compute worker in chunks of rows and appended to the temp file as they
 * come, so Ctrl-C stops a long run at once. `--what log-density` of a learned model integrates its probability-flow
 * ODE with the exact divergence (closed forms for specs and EM models).
 */
export async function score(modelPath: string, opts: ScoreCommandOptions): Promise<void> {
  const t = parseNumberOption("--t", opts.t, { min: 0 });
  checkCsvOutputFlags(opts);
  claimStdin([
    ["<model.json|spec.json>", modelPath],
    ["--points", opts.points],
  ]);
  const out = new OutputFile(opts.out, { force: !!opts.force });
  const loaded = await loadModelFile(modelPath);
  const dim = loaded.kind === "learned" ? loaded.model.dim : loaded.distribution.dim;
  const { points: y } = await readCsvFile(opts.points, { expectedCols: dim, what: `points in R^${dim}` });
  const rows = y.rows;
  const columns =
    opts.what === "log-density" ? ["logDensity"] : defaultHeader(dim, opts.what === "score" ? "score" : "mean");
  const origin = provenance("score", { model: modelPath, t, what: opts.what });
  out.write(
    formatCsv(createPoints(0, columns.length), {
      comments: csvComments(opts, origin),
      header: opts.header ? columns : undefined,
    }),
  );
  const log = new Reporter(!!opts.json);
  log.start(
    opts.what === "log-density" && loaded.kind === "learned" ? "log-density (probability-flow ODE)" : "score",
    rows,
    "points",
  );
  let done = 0;
  let method = "";
  try {
    ({ method } = await runTask(
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
    ));
  } catch (e) {
    // name the file: "row 12" alone does not say where
    if (isMixdiffError(e) && e.location.row !== undefined) {
      throw new MixdiffError(e.code, `${displayName(opts.points)}: ${e.message}`, e.location, { ...e.details });
    }
    throw e;
  }
  log.stop();
  out.commit();
  if (opts.json) {
    const summary: ScoreSummary = {
      command: "score",
      version: CLI_VERSION,
      model: { file: modelPath, kind: loaded.kind },
      what: opts.what,
      t,
      points: { file: displayName(opts.points), rows, dim },
      method,
      columns,
      header: opts.header,
      out: opts.out,
      provenance: origin,
    };
    writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
  } else log.info(`wrote ${rows} values to ${opts.out === "-" ? "stdout" : opts.out} (${method}; ${origin})`);
}
