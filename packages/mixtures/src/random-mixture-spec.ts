import { checkNumber, MixdiffError, type Rng } from "@mixdiff/core";
import type { DistributionSpec } from "./mixing-distribution.js";

/** Options of {@link randomMixtureSpec}. */
export interface RandomMixtureOptions {
  /** Number of components. */
  k: number;
  /** Ambient dimension. */
  dim: number;
  /** Every pair of means is at least this far apart (Euclidean). */
  minSeparation: number;
  /** Every weight is at least this (k·minWeight ≤ 1). */
  minWeight: number;
  /** Means are uniform in the ball of this radius around 0 (default minSeparation·(1 + k^{1/dim})). */
  radius?: number;
  /** σ0 of the spec (default 1). */
  noiseStd?: number;
  /** Optional spec name. */
  name?: string;
  rng: Rng;
}

/**
 * A seeded random Gaussian-mixture spec (`atoms`): k means uniform in a ball, placed by rejection so that all
 * pairs are ≥ minSeparation apart, and weights minWeight + (1 − k·minWeight)·Dirichlet(1, …, 1).
 * The same rng key gives the same spec. Throws INVALID_OPTION when the separation cannot be met
 * (after 1000 placement rounds).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { createDistribution, randomMixtureSpec } from "@mixdiff/mixtures";
 * const spec = randomMixtureSpec({ k: 4, dim: 3, minSeparation: 5, minWeight: 0.1, rng: createRng(7) });
 * const p = createDistribution(spec);
 * ```
 */
export function randomMixtureSpec(o: RandomMixtureOptions): DistributionSpec {
  const fn = "randomMixtureSpec";
  if (o === null || typeof o !== "object") throw new MixdiffError("INVALID_OPTION", `${fn}: options object required`);
  const k = checkNumber(o.k, fn, "k", { min: 1, max: 1e5, integer: true });
  const dim = checkNumber(o.dim, fn, "dim", { min: 1, max: 1e5, integer: true });
  const sep = checkNumber(o.minSeparation, fn, "minSeparation", { min: 0 });
  const minWeight = checkNumber(o.minWeight, fn, "minWeight", { min: 0, max: 1 / k });
  const radius = checkNumber(o.radius ?? sep * (1 + k ** (1 / dim)), fn, "radius", { min: 0 });
  const noiseStd = checkNumber(o.noiseStd ?? 1, fn, "noiseStd", { min: 0, exclusiveMin: true });
  if (o.rng === null || typeof o.rng !== "object" || typeof o.rng.stream !== "function") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: rng must be an Rng (createRng(seed))`, { path: "rng" });
  }
  const means: number[][] = [];
  const draw = (r: Rng): number[] => {
    const v: number[] = [];
    let n2 = 0;
    do {
      v.length = 0;
      n2 = 0;
      for (let d = 0; d < dim; d++) {
        const g = r.normal();
        v.push(g);
        n2 += g * g;
      }
    } while (n2 < 1e-300);
    const f = (radius * r.uniform() ** (1 / dim)) / Math.sqrt(n2);
    return v.map((g) => g * f);
  };
  let placed = false;
  for (let round = 0; round < 1000 && !placed; round++) {
    const r = o.rng.stream("means", round);
    means.length = 0;
    for (let tries = 0; tries < 1000 && means.length < k; tries++) {
      const c = draw(r);
      let ok = true;
      for (const m of means) {
        let d2 = 0;
        for (let d = 0; d < dim; d++) d2 += (m[d]! - c[d]!) ** 2;
        if (d2 < sep * sep) {
          ok = false;
          break;
        }
      }
      if (ok) means.push(c);
    }
    placed = means.length === k;
  }
  if (!placed) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: could not place ${k} means ${sep} apart in a ball of radius ${radius} in R^${dim}; increase radius`,
      { path: "radius" },
    );
  }
  const wr = o.rng.stream("weights");
  const e = Array.from({ length: k }, () => -Math.log(1 - wr.uniform()));
  const es = e.reduce((a, b) => a + b, 0);
  const free = 1 - k * minWeight;
  const weights = e.map((v) => minWeight + (free * v) / es);
  const ws = weights.reduce((a, b) => a + b, 0);
  const spec: DistributionSpec = {
    dim,
    noiseStd,
    mixing: { kind: "atoms", points: means, weights: weights.map((w) => w / ws) },
  };
  return o.name === undefined ? spec : { name: o.name, ...spec };
}
