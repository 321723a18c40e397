import type { Rng } from "@mixdiff/core";

/**
 * A fake generator for linear-Gaussian tests: stream `i` returns 1 at its `i`-th normal draw and 0 otherwise
 * (stream `count` and above never fire). With a linear score model every sampler's output is affine in its
 * normal draws, `y = b + Σ_i c_i ξ_i`, so sampling `count + 1` rows gives `c_i = row_i − row_count` and
 * `b = row_count` exactly: the output law is `N(b, Σ c_i²)`, with no Monte Carlo error.
 */
export function impulseRng(key = "impulse"): Rng {
  const make = (k: string, fireAt: number): Rng => {
    let drawn = 0;
    const rng: Rng = {
      key: k,
      uniform: () => 0.5,
      normal: () => (drawn++ === fireAt ? 1 : 0),
      fillNormal(out, offset = 0, length = out.length - offset) {
        for (let j = offset; j < offset + length; j++) out[j] = rng.normal();
      },
      stream: (...keys) => make(`${k}/${keys.join("/")}`, Number(keys[0])),
    };
    return rng;
  };
  return make(key, -1);
}

/** Exact output mean and variance of a linear sampler run over `count` draws per sample (1-D models). */
export function exactMoments(run: (n: number) => Float64Array, count: number): { mean: number; variance: number } {
  const out = run(count + 1);
  const b = out[count]!;
  let v = 0;
  for (let i = 0; i < count; i++) v += (out[i]! - b) ** 2;
  return { mean: b, variance: v };
}
