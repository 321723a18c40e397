import { expectWithinSe } from "@mixdiff/test-utils";
import seedrandom from "seedrandom";
import { describe, expect, test } from "vitest";
import { createRng, streamRng } from "./rng.js";

describe("createRng", () => {
  test("same seed gives the same bytes", () => {
    const a = createRng(7);
    const b = createRng(7);
    for (let i = 0; i < 100; i++) expect(a.normal()).toBe(b.normal());
  });
  test("streams do not depend on the parent's draws", () => {
    const a = createRng(3);
    const s1 = a.stream(5).uniform();
    a.uniform();
    a.normal();
    expect(a.stream(5).uniform()).toBe(s1);
    expect(streamRng(3, 5).uniform()).toBe(s1);
    expect(a.stream(6).uniform()).not.toBe(s1);
  });
  test("normal draws have mean 0 and variance 1 within 4 standard errors", () => {
    const rng = createRng("moments");
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // SE(mean) = 1/√n; SE(var) ≈ √(2/n). 4 SE ⇒ false-failure rate ≈ 6e-5 per assertion.
    expectWithinSe(mean, 0, 1 / Math.sqrt(n), { k: 4, what: "mean" });
    expectWithinSe(variance, 1, Math.sqrt(2 / n), { k: 4, what: "variance" });
  });
});

describe("Alea stepping", () => {
  test("draws exactly seedrandom's alea(`mixdiff|<key>`).double() sequence, and Box–Muller normals from it", () => {
    for (const key of ["1", "sample/7", "a-string-seed/3/0"]) {
      const ref = seedrandom.alea(`mixdiff|${key}`);
      const mine = key.includes("/")
        ? createRng(key.split("/")[0] as string).stream(...key.split("/").slice(1))
        : createRng(Number(key));
      for (let i = 0; i < 5000; i++) expect(mine.uniform()).toBe(ref.double());
      // normals: the same Box–Muller pair from two doubles of the reference stream
      const ref2 = seedrandom.alea(`mixdiff|${key}`);
      const mine2 = key.includes("/")
        ? createRng(key.split("/")[0] as string).stream(...key.split("/").slice(1))
        : createRng(Number(key));
      const out = new Float64Array(1001);
      mine2.fillNormal(out);
      for (let i = 0; i < 1000; i += 2) {
        let u1 = ref2.double();
        while (u1 === 0) u1 = ref2.double();
        const u2 = ref2.double();
        const r = Math.sqrt(-2 * Math.log(u1));
        expect(out[i]).toBe(r * Math.cos(2 * Math.PI * u2));
        expect(out[i + 1]).toBe(r * Math.sin(2 * Math.PI * u2));
      }
    }
  });
});
