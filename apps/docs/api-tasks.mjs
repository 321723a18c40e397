// The API reference's index page, by task: which package a task starts from, and the functions and constants
// to list first. Everything exported that no task names goes to its package's task, alphabetically, so a new
// export appears without touching this file; a name listed here that no package exports fails the docs build.
// Used by typedoc-tasks.mjs (the index page) and .vitepress/config.mts (the sidebar).

/**
 * @typedef {object} Task
 * @property {string} id       - the anchor of the task's section on /api/
 * @property {string} title
 * @property {string} intro    - one or two sentences (Markdown)
 * @property {string[]} packages - packages whose exports belong here by default
 * @property {string[]} lead   - exports listed first, in this order (may come from any package)
 */

/** @type {Task[]} */
export const TASKS = [
  {
    id: "fit",
    title: "Fit a model",
    intro:
      "Learn the score of noised data with the paper's learner (`fitScore`), or fit the classical EM baseline; save, load and inspect the result. The estimators (`diffusionEstimator`, `emEstimator`) put both behind one scikit-learn-style interface: fit, sample, score, logDensity, predictProba.",
    packages: ["@mixdiff/score", "@mixdiff/estimators"],
    lead: [
      "fitScore",
      "diffusionEstimator",
      "emEstimator",
      "fitEm",
      "fitEmBic",
      "emDistribution",
      "loadScoreModel",
      "exactScoreModel",
      "estimateMixture",
      "fromScoreModel",
      "fromEmResult",
      "fromDistribution",
    ],
  },
  {
    id: "sample",
    title: "Sample",
    intro:
      "Run a reverse-diffusion sampler on any score model (learned or exact), whole or step by step (`createStepper`); `sampleParallel` of `@mixdiff/diffusion/node` does the same on worker threads in Node.",
    packages: ["@mixdiff/diffusion"],
    lead: ["sample", "createStepper", "samplers", "defaultSteps", "defaultGrid", "defaultTMax"],
  },
  {
    id: "measure",
    title: "Measure",
    intro:
      "Compare samples with a reference sample or a known density, each estimate with its standard error; a model's held-out likelihood (`probabilityFlowLogDensity` for learned models); score errors per noise level and the KL bound they imply.",
    packages: ["@mixdiff/metrics"],
    lead: [
      "evaluateSamples",
      "meanLogLikelihood",
      "probabilityFlowLogDensity",
      "mmd2",
      "energyDistance",
      "slicedWasserstein",
      "knnTwoSampleTest",
      "nllGap",
      "parameterRecovery",
      "scoreError",
      "scoreErrorByLevel",
      "klBoundFromScoreErrors",
    ],
  },
  {
    id: "distributions",
    title: "Describe a distribution",
    intro:
      "Mixtures `P0 = Q0 * N(0, σ0² I)` from a JSON spec, with exact noised densities, scores and posterior means: the ground truth of every test.",
    packages: ["@mixdiff/mixtures"],
    lead: ["createDistribution", "parseSpec", "gaussianMixture", "randomMixtureSpec"],
  },
  {
    id: "schedules",
    title: "Noise schedules and time grids",
    intro: "VE, VP, cosine and EDM schedules in one interface, and the time grids samplers step along.",
    packages: ["@mixdiff/schedules"],
    lead: ["veSchedule", "vpSchedule", "scheduleFromJSON", "bentonGrid", "karrasGrid"],
  },
  {
    id: "regression",
    title: "Polynomial regression",
    intro: "Hermite and monomial bases, streaming ridge least squares and piecewise (Voronoi-cell) polynomials.",
    packages: ["@mixdiff/polyreg"],
    lead: ["fitPolynomial", "fitPiecewise", "predictPolynomial", "predictPiecewise"],
  },
  {
    id: "core",
    title: "Randomness, point batches and errors",
    intro: "Seeded random streams, the `Points` batch type every function accepts, and `MixdiffError`.",
    packages: ["@mixdiff/core"],
    lead: ["createRng", "toPoints", "createPoints", "isMixdiffError"],
  },
];

const LEAD = new Map(TASKS.flatMap((t) => t.lead.map((name, i) => [name, { task: t.id, rank: i }])));

/** Where a name stands among its task's lead names (Infinity when it is not one). */
export function leadRank(name) {
  return LEAD.get(name)?.rank ?? Number.POSITIVE_INFINITY;
}

/**
 * Sort key of an export on its package's page: the lead names of the package's own task first (in their order),
 * then lead names of other tasks, then the rest (alphabetically, by the caller).
 */
export function pageRank(pkg, name) {
  const lead = LEAD.get(name);
  if (!lead) return Number.POSITIVE_INFINITY;
  const own = TASKS.find((t) => t.packages.includes(pkg))?.id === lead.task;
  return (own ? 0 : 1000) + lead.rank;
}

/**
 * Places the exported functions and constants of each package into tasks.
 *
 * @param {{ pkg: string, name: string }[]} items
 * @returns {Map<string, { pkg: string, name: string }[]>} task id → items, lead names first
 */
export function placeByTask(items) {
  const taskOfPkg = new Map(TASKS.flatMap((t) => t.packages.map((p) => [p, t.id])));
  const missing = [...LEAD.keys()].filter((n) => !items.some((it) => it.name === n));
  if (missing.length) throw new Error(`api-tasks.mjs lists ${missing.join(", ")}, which no package exports`);
  const out = new Map(TASKS.map((t) => [t.id, []]));
  for (const it of items) {
    const task = LEAD.get(it.name)?.task ?? taskOfPkg.get(it.pkg);
    if (!task) throw new Error(`api-tasks.mjs has no task for the package ${it.pkg}`);
    out.get(task).push(it);
  }
  for (const list of out.values())
    list.sort(
      (a, b) => leadRank(a.name) - leadRank(b.name) || a.name.localeCompare(b.name, "en", { sensitivity: "base" }),
    );
  return out;
}
