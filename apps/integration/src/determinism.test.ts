// C6: determinism across runs, chunk sizes and repeated fits; prefix stability of samples; no Math.random in
// packages (grep, in addition to the biome GritQL rule).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@mixdiff/core";
import { sample } from "@mixdiff/diffusion";
import { createDistribution } from "@mixdiff/mixtures";
import { exactScoreModel, fitScore } from "@mixdiff/score";
import { describe, expect, it } from "vitest";
import { ROOT, twoAtomSpec } from "./helpers";

const dist = createDistribution(
  twoAtomSpec(
    [
      [-3, 0],
      [3, 1],
    ],
    [0.4, 0.6],
  ),
);
const exact = exactScoreModel(dist);
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("determinism (C6)", () => {
  it("fitScore twice on fresh objects gives byte-identical model files; the input is not mutated", () => {
    const x = dist.sample(300, createRng(1)).x;
    const before = bytes(x.data).toString("hex");
    const a = JSON.stringify(fitScore(x, { rng: createRng(5), levels: 4, degree: 2 }).toJSON());
    const b = JSON.stringify(fitScore(x, { rng: createRng(5), levels: 4, degree: 2 }).toJSON());
    expect(b).toBe(a); // the whole file, checksum included: no wall-clock time inside
    expect(bytes(x.data).toString("hex")).toBe(before);
  });
  it.each(["exponentialIntegrator", "eulerMaruyama", "probabilityFlowHeun", "ddpm"] as const)(
    "%s: byte-identical across chunk sizes 1, 7, 64 and default",
    (sampler) => {
      const ref = sample(exact, { n: 70, rng: createRng(3), steps: 15, sampler }).samples.data;
      for (const chunkSize of [1, 7, 64]) {
        const s = sample(exact, { n: 70, rng: createRng(3), steps: 15, sampler, chunkSize }).samples.data;
        expect(bytes(s).equals(bytes(ref))).toBe(true);
      }
    },
  );
  it("prefix stability: the first 100 of sample(n = 1000) equal sample(n = 100)", () => {
    const big = sample(exact, { n: 1000, rng: createRng(4), steps: 10 }).samples.data;
    const small = sample(exact, { n: 100, rng: createRng(4), steps: 10 }).samples.data;
    expect(bytes(big.subarray(0, 200)).equals(bytes(small))).toBe(true);
    const d1 = dist.sample(1000, createRng(8)).x.data;
    const d2 = dist.sample(100, createRng(8)).x.data;
    expect(bytes(d1.subarray(0, 200)).equals(bytes(d2))).toBe(true);
  });
  it("scoring is row-order and subset invariant (exact and learned models, bitwise)", () => {
    const learned = fitScore(dist.sample(300, createRng(1)).x, { rng: createRng(5), levels: 4, degree: 2 });
    const y = dist.sample(40, createRng(6)).x;
    const perm = Array.from({ length: 40 }, (_, i) => (i * 17) % 40);
    const yp = { data: new Float64Array(80), rows: 40, cols: 2 };
    perm.forEach((j, i) => void yp.data.set(y.data.subarray(2 * j, 2 * j + 2), 2 * i));
    for (const m of [exact, learned]) {
      for (const t of [0.05, 1, 20]) {
        const full = m.score(y, t).data;
        const permuted = m.score(yp, t).data;
        perm.forEach((j, i) => {
          expect(permuted[2 * i]).toBe(full[2 * j]);
          expect(permuted[2 * i + 1]).toBe(full[2 * j + 1]);
        });
        const sub = m.score({ data: y.data.slice(10, 30), rows: 10, cols: 2 }, t).data;
        expect(Array.from(sub)).toEqual(Array.from(full.subarray(10, 30)));
      }
    }
  });
  it("different seeds give different samples", () => {
    const a = sample(exact, { n: 5, rng: createRng(1), steps: 5 }).samples.data;
    const b = sample(exact, { n: 5, rng: createRng(2), steps: 5 }).samples.data;
    expect(bytes(a).equals(bytes(b))).toBe(false);
  });
  it("no Math.random in any package source (outside tests)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (name === "node_modules" || name === "dist") continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name) && /Math\.random\s*\(/.test(readFileSync(p, "utf8")))
          offenders.push(p);
      }
    };
    for (const pkg of readdirSync(join(ROOT, "packages"))) walk(join(ROOT, "packages", pkg, "src"));
    expect(offenders).toEqual([]);
  });
});
