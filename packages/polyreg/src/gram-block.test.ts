import { createRng } from "@mixdiff/core";
import { describe, expect, test } from "vitest";
import { gramBlock, gramBlockJs, gramBlockWasm, useGramKernel } from "./gram-block.js";
import { createNormalEquations } from "./normal-equations.js";

/** The definition: for i ≤ j < s, t = Σ_r φ_ri·φ_rj summed from r = 0 upwards, then G_ij += t. */
function reference(phi: Float64Array, pad: number, n: number, s: number, G: Float64Array, gs: number): void {
  for (let i = 0; i < s; i++) {
    for (let j = i; j < s; j++) {
      let t = 0;
      for (let r = 0; r < n; r++) t += phi[r * pad + i]! * phi[r * pad + j]!;
      G[i * gs + j]! += t;
    }
  }
}

function block(n: number, s: number, seed: string, padding: number) {
  const pad = (s + 3) & ~3;
  const phi = new Float64Array(n * pad).fill(padding);
  const r = createRng(seed);
  // Mixed magnitudes so that the order of the additions shows in the last bits.
  for (let i = 0; i < n; i++)
    for (let c = 0; c < s; c++) phi[i * pad + c] = r.normal() * 10 ** Math.floor(4 * r.uniform() - 2);
  return { phi, pad };
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2));

describe("gramBlock", () => {
  test("the WebAssembly SIMD kernel is available in Node", () => {
    expect(gramBlockWasm()).toBeTypeOf("function");
  });

  test("JS and WebAssembly kernels give the bytes of the definition (any s, n, padding, start values)", () => {
    const wasm = gramBlockWasm()!;
    for (const s of [1, 2, 3, 4, 5, 7, 8, 9, 13, 28, 45, 46, 47, 56, 126]) {
      for (const n of [1, 2, 3, 255, 256]) {
        for (const padding of [0, Number.NaN]) {
          const { phi, pad } = block(n, s, `g-${s}-${n}`, padding);
          const gs = s + 1; // a wider row stride than s, as for gram(size) of a leading block
          const start = new Float64Array(s * gs).map((_, k) => (k % 7) - 3.25);
          const want = start.slice();
          reference(phi, pad, n, s, want, gs);
          // Φᵀz for q = 3 outputs (z column-major [q, 256]): even and odd rows apart, then added.
          const q = 3;
          const z = new Float64Array(q * 256).map((_, k) => Math.sin(k) * 10 ** ((k % 5) - 2));
          const bStart = new Float64Array(s * q).map((_, k) => k / 3);
          const bWant = bStart.slice();
          for (let i = 0; i < s; i++) {
            for (let o = 0; o < q; o++) {
              let e = 0;
              let d = 0;
              for (let r = 0; r < n; r++) {
                if (r % 2 === 0) e += phi[r * pad + i]! * z[o * 256 + r]!;
                else d += phi[r * pad + i]! * z[o * 256 + r]!;
              }
              bWant[i * q + o]! += e + d;
            }
          }
          for (const kernel of [gramBlockJs, wasm, gramBlock]) {
            const G = start.slice();
            const b = bStart.slice();
            kernel(phi, pad, n, s, z, q, G, gs, b);
            expect(bits(G), `s ${s}, n ${n}, padding ${padding}`).toEqual(bits(want));
            expect(bits(b), `Φᵀz: s ${s}, n ${n}, padding ${padding}`).toEqual(bits(bWant));
          }
        }
      }
    }
  });

  test("leading blocks: s below the buffer's feature count reads, but never uses, the later columns", () => {
    const { phi, pad } = block(256, 45, "lead", 0);
    for (const s of [10, 21, 44]) {
      const want = new Float64Array(s * s);
      reference(phi, pad, 256, s, want, s);
      const G = new Float64Array(s * s);
      gramBlockWasm()!(phi, pad, 256, s, new Float64Array(0), 0, G, s, G);
      expect(bits(G)).toEqual(bits(want));
    }
  });

  test("normal equations keep the per-block sums of the definition (bytes), with either kernel", () => {
    for (const [p, kernel] of [
      [1, "auto"],
      [7, "js"],
      [7, "auto"],
      [30, "js"],
      [30, "auto"],
    ] as const) {
      useGramKernel(kernel);
      const n = 700;
      const r = createRng(`ne-${p}`);
      const phi = new Float64Array(n * p);
      const z = new Float64Array(n);
      r.fillNormal(phi);
      r.fillNormal(z);
      const ne = createNormalEquations(p, 1);
      ne.add(phi, z, n);
      // Definition: blocks of 256 rows, each entry's block sum added to the total in block order.
      const want = new Float64Array(p * p);
      for (let b = 0; b < n; b += 256) {
        const m = Math.min(256, n - b);
        reference(phi.subarray(b * p), p, m, p, want, p);
      }
      for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) want[i * p + j] = want[j * p + i]!;
      expect(bits(ne.gram())).toEqual(bits(want));
    }
    useGramKernel("auto");
  });
});
