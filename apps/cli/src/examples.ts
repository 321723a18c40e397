import type { Distribution, DistributionSpec } from "@mixdiff/mixtures";
import { createDistribution, parseSpec } from "@mixdiff/mixtures";
import circle2d from "../../../test-fixtures/eval/cases/circle2d.json";
import disks2d from "../../../test-fixtures/eval/cases/disks2d.json";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm2dOverlap from "../../../test-fixtures/eval/cases/gmm2d-overlap.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import polyline2d from "../../../test-fixtures/eval/cases/polyline2d.json";
import { CliError } from "./exit-codes.js";
import { loadSpecFile } from "./model-file.js";
import { writeStdout } from "./output.js";

/**
 * The distribution specs shipped inside the CLI (bundled into dist/cli.js at build time): the repository's
 * public evaluation cases, so `mixdiff generate --example gmm2d` works wherever the package is installed.
 * Adding one = one import and one line here.
 */
export const EXAMPLES = {
  gmm2d: { about: "three well-separated Gaussians in 2-D", spec: gmm2d },
  "gmm2d-overlap": { about: "three overlapping Gaussians in 2-D", spec: gmm2dOverlap },
  gmm10d: { about: "four Gaussians in 10-D; their means span a 3-D affine subspace", spec: gmm10d },
  circle2d: { about: "means uniform on a circle of radius 5 (a continuous mixture)", spec: circle2d },
  polyline2d: { about: "means uniform on a polyline with a corner", spec: polyline2d },
  disks2d: { about: "means uniform in two disks (the paper's union-of-balls setting)", spec: disks2d },
} as const satisfies Record<string, { about: string; spec: object }>;

export type ExampleName = keyof typeof EXAMPLES;

/** The example names, in listing order. */
export const EXAMPLE_NAMES = Object.keys(EXAMPLES) as ExampleName[];

/** The JSON spec of an example (usage error, listing the names, for an unknown one). */
export function exampleSpec(name: string): object {
  if (!Object.hasOwn(EXAMPLES, name)) {
    throw new CliError("usage", `--example ${name}: unknown example; expected one of ${EXAMPLE_NAMES.join(", ")}`);
  }
  return EXAMPLES[name as ExampleName].spec;
}

/** Where a command's distribution comes from: a spec file or a shipped example (exactly one). */
export interface SpecSource {
  /** How outputs record it: the file name, or `example:<name>`. */
  readonly label: string;
  load(): Promise<{ spec: DistributionSpec; distribution: Distribution }>;
}

/**
 * Resolves "a spec file or `--example NAME`" for the commands that read a distribution spec.
 * `what` names the file argument or option in the usage error when both or neither are given.
 */
export function specSource(file: string | undefined, example: string | undefined, what: string): SpecSource {
  if ((file === undefined) === (example === undefined)) {
    throw new CliError(
      "usage",
      `give exactly one of ${what} or --example <name> (run \`mixdiff examples\` for the list)`,
    );
  }
  if (example !== undefined) {
    const json = exampleSpec(example);
    return {
      label: `example:${example}`,
      load: async () => {
        const spec = parseSpec(json);
        return { spec, distribution: createDistribution(spec) };
      },
    };
  }
  return { label: file as string, load: () => loadSpecFile(file as string) };
}

/** The table `mixdiff examples` prints: name, dimension, kind of mixing distribution, description. */
export function formatExampleList(): string {
  const rows = EXAMPLE_NAMES.map((name) => {
    const { about, spec } = EXAMPLES[name];
    return [name, String(spec.dim), spec.mixing.kind, about];
  });
  const head = ["name", "dim", "mixing", "what it is"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c))
      .join("  ")
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join("\n")}\n`;
}

/** `mixdiff examples [name]`: the list, or one example's spec as JSON on stdout (to save and edit). */
export function runExamples(name: string | undefined): void {
  writeStdout(name === undefined ? formatExampleList() : `${JSON.stringify(exampleSpec(name), null, 2)}\n`);
}
