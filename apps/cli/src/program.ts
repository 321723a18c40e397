import { samplers } from "@mixdiff/diffusion";
import { sampleMetricNames, sampleMetrics } from "@mixdiff/metrics";
import { schedules } from "@mixdiff/schedules";
import { Command, Option } from "commander";
import { version } from "../package.json";
import { EXIT_CODES_HELP } from "./exit-codes.js";

/** The version printed by `mixdiff --version` and recorded in outputs (the package's version, inlined at build). */
export const CLI_VERSION: string = version;

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}

/** The `Samplers:` list of `mixdiff sample --help`, from the `samplers` registry: each name, its note, its flags. */
function samplerHelp(): string {
  const names = Object.keys(samplers) as (keyof typeof samplers)[];
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((name) => {
    const own = samplers[name].options as readonly string[];
    return `  ${name.padEnd(width)}  ${samplers[name].note}${own.includes("schedule") ? " [--schedule]" : ""}`;
  });
  return `\nSamplers (--sampler; default exponentialIntegrator):\n${lines.join("\n")}\n`;
}

const forceOption = () => new Option("--force", "overwrite existing output files");
const seedOption = () =>
  new Option("--seed <seed>", "random seed: an integer or a string (default: drawn, printed and recorded)");
const exampleOption = () =>
  new Option("--example <name>", "a distribution shipped with mixdiff instead of a spec file (`mixdiff examples`)");
const provenanceOption = () =>
  new Option(
    "--provenance",
    "start the CSV with a `# mixdiff <version> <command> … seed=<S>` comment line (by default the provenance goes to stderr and --json only)",
  );
const jsonOption = () => new Option("--json", "print a machine-readable summary (with the provenance) on stdout");
const labelColumnOption = () =>
  new Option(
    "--label-column <name|number|none>",
    "drop this column of the data (a label column, e.g. from `generate --labels`); `none`: fit every column",
  );

/** The `evaluate --help` section listing the metrics, from the registry of `@mixdiff/metrics` (names and descriptions). */
function metricsHelp(): string {
  const w = Math.max(...sampleMetricNames.map((n) => n.length));
  const lines = sampleMetricNames.map((n) => {
    const m = sampleMetrics[n];
    const limits = [
      ...(m.likelihood ? ["needs --spec or --example"] : []),
      ...(Number.isFinite(m.maxDim) ? [`at most ${m.maxDim}-D`] : []),
    ];
    return `  ${n.padEnd(w)}  ${m.description}${limits.length > 0 ? ` [${limits.join("; ")}]` : ""}`;
  });
  return `\nMetrics (--metrics; by default every one that applies):\n${lines.join("\n")}\n`;
}

/**
 * Builds the `mixdiff` commander program. Command implementations are loaded lazily, so `--help` is instant.
 * Parse errors throw `CommanderError` (exitOverride); cli.ts maps them to exit code 2.
 */
export function createProgram(): Command {
  const program = new Command("mixdiff");
  program
    .description(
      "Learn a distribution from samples with the diffusion-model learner of Gatmiry, Kelner & Lee (COLT 2025), " +
        "sample from it and measure it. Data files are CSV (header optional, `-` = stdin/stdout); models are JSON.",
    )
    .version(CLI_VERSION, "-V, --version")
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText(
      "after",
      examples([
        "mixdiff demo",
        "mixdiff examples",
        "mixdiff generate --example gmm2d --n 5000 --seed 1 --out data.csv",
        "mixdiff fit data.csv --out model.json --seed 1",
        "mixdiff sample model.json --n 5000 --seed 2 --out samples.csv",
        "mixdiff evaluate samples.csv --example gmm2d",
      ]) +
        "\n" +
        EXIT_CODES_HELP +
        "\n",
    );

  const sub = (name: string) =>
    program
      .command(name)
      .exitOverride()
      .configureOutput({ outputError: () => {} });

  sub("examples")
    .description("List the example distributions shipped with mixdiff, or print one as a spec file to edit.")
    .argument("[name]", "print this example's JSON spec on stdout")
    .addHelpText(
      "after",
      examples([
        "mixdiff examples",
        "mixdiff examples circle2d > circle.json",
        "mixdiff generate --example circle2d --n 5000 --seed 1 --out data.csv",
      ]),
    )
    .action(async (name: string | undefined) => (await import("./examples.js")).runExamples(name));

  sub("generate")
    .description("Draw exact samples from a distribution spec file or a shipped example (`mixdiff examples`).")
    .argument("[spec.json]", "distribution spec (`-` = stdin); or use --example")
    .addOption(exampleOption())
    .requiredOption("--n <N>", "number of samples")
    .requiredOption("--out <file>", "output CSV (`-` = stdout)")
    .addOption(seedOption())
    .option("--labels", "append the latent component/piece index as a last column `label`")
    .option("--no-header", "write no header line: a plain numeric CSV")
    .addOption(provenanceOption())
    .addOption(jsonOption())
    .addOption(forceOption())
    .addHelpText(
      "after",
      examples([
        "mixdiff generate --example gmm2d --n 10000 --seed 1 --out data.csv",
        "mixdiff generate spec.json --n 100 --seed 7 --labels --out -",
        "mixdiff generate --example gmm2d --n 1000 --seed 1 --no-header --out plain.csv --json > run.json",
      ]),
    )
    .action(async (spec: string | undefined, opts) => (await import("./commands/generate.js")).generate(spec, opts));

  sub("fit")
    .description("Learn a model from data: the paper's diffusion learner (default) or EM (the classical baseline).")
    .argument("<data.csv>", "training data (`-` = stdin)")
    .requiredOption("--out <model.json>", "output model file (`-` = stdout)")
    .addOption(new Option("--method <method>", "learner").choices(["diffusion", "em"]).default("diffusion"))
    .option("--k <K>", "number of components (EM; default: chosen by BIC in 1..8) / cluster budget (diffusion)")
    .addOption(seedOption())
    .option("--sigma0 <s>", "known noise standard deviation σ0 of the data (default 1)")
    .option("--degree <p>", "polynomial degree per cell (diffusion)")
    .option("--levels <L>", "number of noise levels (diffusion)")
    .option("--t-min <t>", "smallest noise level learned (diffusion)")
    .option("--t-max <t>", "largest noise level learned (diffusion)")
    .option("--noise-draws <D>", "noise draws per point and level (diffusion)")
    .addOption(
      new Option(
        "--preset <name>",
        "practical (default: soft gates, the Stein estimator, EM-refined atoms) or paper (Algorithms 1 + 2 with nothing added; the paper's constants scaled) (diffusion)",
      ).choices(["practical", "paper"]),
    )
    .addOption(
      new Option("--estimator <name>", "regression estimator (diffusion; default by preset)").choices([
        "stein",
        "ism",
        "dsm",
      ]),
    )
    .addOption(
      new Option(
        "--gating <kind>",
        "soft gates or the paper's hard Voronoi cells (diffusion; default by preset)",
      ).choices(["soft", "hard"]),
    )
    .option(
      "--workers <W>",
      "worker threads of the fit (diffusion; default: every core, at most 8; the model's bytes do not depend on it)",
    )
    .option("--restarts <R>", "EM restarts")
    .addOption(labelColumnOption())
    .option("--json", "print a machine-readable summary on stdout")
    .option("--quiet", "no progress bar and no summary")
    .addOption(forceOption())
    .addHelpText(
      "after",
      examples([
        "mixdiff fit data.csv --out model.json --seed 1",
        "mixdiff fit data.csv --out em.json --method em --k 3 --seed 1",
        "mixdiff fit data.csv --out model.json --degree 4 --levels 24 --json > summary.json",
        "mixdiff fit data.csv --out paper.json --preset paper --seed 1",
        "mixdiff fit labelled.csv --out model.json --label-column label --seed 1",
      ]),
    )
    .action(async (data: string, opts) => (await import("./commands/fit.js")).fit(data, opts));

  sub("sample")
    .description(
      "Sample from a learned diffusion model or an EM model; with --oracle, run the diffusion sampler on a spec's exact score.",
    )
    .argument("<model.json|spec.json>", "model file, or a distribution spec with --oracle")
    .requiredOption("--n <N>", "number of samples")
    .requiredOption("--out <file>", "output CSV (`-` = stdout)")
    .addOption(seedOption())
    .option("--sampler <name>", "reverse-diffusion sampler (see the Samplers list below)")
    .option(
      "--schedule <kind>",
      `the noise schedule whose SDE/ODE the sampler discretises, for the samplers marked [--schedule] below: ${Object.keys(schedules).join(", ")}`,
    )
    .option("--steps <M>", "number of sampler steps")
    .option("--oracle", "the input is a spec: sample with its exact score (the sampler's quality limit)")
    .option(
      "--no-subspace",
      "simulate all n coordinates even when the model keeps an m < n subspace (by default the complement, exactly Gaussian, is drawn directly)",
    )
    .option("--no-header", "write no header line: a plain numeric CSV")
    .option(
      "--workers <W>",
      "worker threads of the sampler (default: every core, at most 8; the output's bytes do not depend on it)",
    )
    .addOption(provenanceOption())
    .addOption(jsonOption())
    .addOption(forceOption())
    .addHelpText("after", samplerHelp())
    .addHelpText(
      "after",
      examples([
        "mixdiff sample model.json --n 5000 --seed 2 --out samples.csv",
        "mixdiff sample model.json --n 5000 --seed 2 --sampler probabilityFlowHeun --steps 100 --out samples.csv",
        "mixdiff sample model.json --n 5000 --seed 2 --sampler eulerMaruyama --schedule vp --out samples.csv",
        "mixdiff examples gmm2d > gmm2d.json && mixdiff sample gmm2d.json --oracle --n 5000 --seed 3 --out oracle.csv",
      ]),
    )
    .action(async (model: string, opts) => (await import("./commands/sample.js")).sample(model, opts));

  sub("score")
    .description(
      "Evaluate a learned or exact model at given points: score, posterior mean or log-density (a learned model's by its probability-flow ODE with the exact divergence).",
    )
    .argument("<model.json|spec.json>", "model file or distribution spec")
    .requiredOption("--t <T>", "noise level (added variance, VE time) ≥ 0")
    .requiredOption("--points <file>", "points CSV (`-` = stdin)")
    .requiredOption("--out <file>", "output CSV (`-` = stdout)")
    .addOption(
      new Option("--what <quantity>", "what to evaluate")
        .choices(["score", "posterior-mean", "log-density"])
        .default("score"),
    )
    .option("--no-header", "write no header line: a plain numeric CSV")
    .addOption(provenanceOption())
    .addOption(jsonOption())
    .addOption(forceOption())
    .addHelpText(
      "after",
      examples([
        "mixdiff score model.json --t 0.5 --points points.csv --out scores.csv",
        "mixdiff score gmm2d.json --t 1 --points points.csv --what log-density --out -",
        "mixdiff score model.json --t 0 --points test.csv --what log-density --out logp.csv",
      ]),
    )
    .action(async (model: string, opts) => (await import("./commands/score.js")).score(model, opts));

  sub("evaluate")
    .description(
      "Metrics table (with standard errors) of samples against a spec or a reference sample; with --model and --held-out, the model's held-out log-likelihood.",
    )
    .argument("[samples.csv]", "samples to evaluate (`-` = stdin); optional with --held-out")
    .option("--spec <spec.json>", "the true distribution")
    .addOption(exampleOption().conflicts("spec"))
    .option("--reference <ref.csv>", "a reference sample (when the truth is only known through samples)")
    .option(
      "--model <model.json>",
      "with --spec: the learned model's score error per noise level; with --held-out: its held-out log-likelihood",
    )
    .option(
      "--held-out <data.csv>",
      "points the model was not fitted on: report the model's mean log-likelihood on them (and the truth's, with --spec)",
    )
    .addOption(labelColumnOption())
    .option("--n-ref <N>", "size of the reference sample drawn from --spec (default: as many as the samples)")
    .option(
      "--metrics <names>",
      `comma-separated metrics to compute, in this order (default: every one that applies): ${sampleMetricNames.join(", ")}`,
    )
    .addOption(seedOption())
    .option("--json", "print the table as JSON on stdout")
    .addHelpText(
      "after",
      metricsHelp() +
        examples([
          "mixdiff evaluate samples.csv --example gmm2d",
          "mixdiff evaluate samples.csv --example gmm2d --metrics mmd2,nllGap",
          "mixdiff evaluate samples.csv --reference data.csv --json",
          "mixdiff evaluate samples.csv --spec spec.json --model model.json",
          "mixdiff evaluate --model model.json --held-out test.csv --json",
        ]),
    )
    .action(async (samples: string | undefined, opts) =>
      (await import("./commands/evaluate.js")).evaluate(samples, opts),
    );

  sub("demo")
    .description(
      "The main job on an embedded 2-D mixture: generate, fit diffusion + EM, sample both, evaluate, draw pictures.",
    )
    .option("--out <dir>", "directory for data, models and pictures", "mixdiff-demo")
    .option("--seed <seed>", "random seed", "demo")
    .option("--n <N>", "number of training samples", "10000")
    .option(
      "--json",
      "print the results (metrics of both models, files written) as JSON on stdout instead of the table",
    )
    .addOption(forceOption())
    .addHelpText(
      "after",
      examples(["mixdiff demo", "mixdiff demo --out /tmp/demo --seed 7 --force", "mixdiff demo --json > demo.json"]),
    )
    .action(async (opts) => (await import("./commands/demo.js")).demo(opts));

  sub("bench")
    .description("Run the benchmark suite: polyreg accumulation, samplers, metrics, and fit per public case.")
    .option("--quick", "tiny sizes: checks the harness, not speed")
    .option("--json", "print the results as JSON on stdout")
    .option(
      "--out <file>",
      "write the JSON results here (its directory is created; an existing file needs --force)",
      ".tmp/bench/bench-results.json",
    )
    .option("--only <names>", "comma-separated suite names")
    .addOption(forceOption())
    .addHelpText("after", examples(["mixdiff bench --quick", "mixdiff bench --json --out bench.json --force"]))
    .action(async (opts, cmd: Command) =>
      (await import("./commands/bench.js")).bench({ ...opts, outGiven: cmd.getOptionValueSource("out") !== "default" }),
    );

  return program;
}
