/**
 * The kernel of {@link createNormalEquations}: adds one block of rows' `ΦᵀΦ` (upper triangle) and `Φᵀz` to the
 * totals. Two implementations with **identical bytes**: WebAssembly SIMD (hand-written with `wasm-bytes.ts`,
 * compiled at first use; its lanes run over adjacent output entries, so every entry is computed by the same
 * IEEE operations in the same order as the scalar code) and plain JS (the fallback where WebAssembly or its
 * SIMD extension is missing or blocked). Internal to the package.
 */
import {
  block,
  br,
  brIf,
  countedLoop,
  F64X2_ADD,
  f64x2MulAdd,
  get,
  I32,
  I32_ADD,
  I32_AND,
  I32_EQZ,
  I32_LT_S,
  I32_MUL,
  I32_SHL,
  I32_SUB,
  i32,
  instantiate,
  loop,
  set,
  tee,
  V128,
  V128_ZERO,
  v128Load,
  v128Load64Splat,
  v128Store,
  type WasmFunction,
  wasmModule,
} from "./wasm-bytes.js";

/** Rows per block (the accumulator's; z is stored column-major with this column stride). */
const B = 256;

/**
 * Adds one block's statistics: for `i ≤ j < s`, `Σ_{r<n} φ_ri·φ_rj` to `G[i·gs + j]` (summed from r = 0
 * upwards); for `i < s`, `o < q`, `Σ_r φ_ri·z_ro` to `b[i·q + o]` (even and odd rows summed apart, then
 * added). `phi` is row-major `[n, pad]` (`pad ≥ s`, a multiple of 4; columns `s..pad` are read but never reach
 * the results), `z` column-major `[q, 256]`. `q = 0` skips `Φᵀz`.
 */
export type GramBlockKernel = (
  phi: Float64Array,
  pad: number,
  n: number,
  s: number,
  z: Float64Array,
  q: number,
  G: Float64Array,
  gs: number,
  b: Float64Array,
) => void;

/**
 * Plain JS kernel: ΦᵀΦ by a 2 × 4 register tile (two columns i, four columns j per row), upper triangle only;
 * Φᵀz by two-way dot products.
 *
 * @example
 * ```ts
 * const G = new Float64Array(4);
 * gramBlockJs(Float64Array.of(1, 2, 0, 0, 3, 4, 0, 0), 4, 2, 2, new Float64Array(0), 0, G, 2, G); // G = [10, 14, 0, 20]
 * ```
 */
export const gramBlockJs: GramBlockKernel = (phi, pad, n, s, z, q, G, gs, b) => {
  const jEnd = (s + 3) & ~3;
  for (let i = 0; i < s; i += 2) {
    const gi = i * gs;
    const gk = gi + gs;
    const two = i + 1 < s;
    for (let j = i & ~3; j < jEnd; j += 4) {
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      let u0 = 0;
      let u1 = 0;
      let u2 = 0;
      let u3 = 0;
      for (let r = 0, o = 0; r < n; r++, o += pad) {
        const v = phi[o + i]!;
        const w = phi[o + i + 1]!;
        const c0 = phi[o + j]!;
        const c1 = phi[o + j + 1]!;
        const c2 = phi[o + j + 2]!;
        const c3 = phi[o + j + 3]!;
        t0 += v * c0;
        t1 += v * c1;
        t2 += v * c2;
        t3 += v * c3;
        u0 += w * c0;
        u1 += w * c1;
        u2 += w * c2;
        u3 += w * c3;
      }
      if (j >= i && j < s) G[gi + j]! += t0;
      if (j + 1 >= i && j + 1 < s) G[gi + j + 1]! += t1;
      if (j + 2 >= i && j + 2 < s) G[gi + j + 2]! += t2;
      if (j + 3 >= i && j + 3 < s) G[gi + j + 3]! += t3;
      if (two) {
        if (j >= i + 1 && j < s) G[gk + j]! += u0;
        if (j + 1 >= i + 1 && j + 1 < s) G[gk + j + 1]! += u1;
        if (j + 2 >= i + 1 && j + 2 < s) G[gk + j + 2]! += u2;
        if (j + 3 >= i + 1 && j + 3 < s) G[gk + j + 3]! += u3;
      }
    }
  }
  for (let i = 0; i < s; i++) {
    for (let o = 0; o < q; o++) {
      const zo = o * B;
      let s0 = 0;
      let s1 = 0;
      let r = 0;
      for (; r + 1 < n; r += 2) {
        s0 += phi[r * pad + i]! * z[zo + r]!;
        s1 += phi[(r + 1) * pad + i]! * z[zo + r + 1]!;
      }
      if (r < n) s0 += phi[r * pad + i]! * z[zo + r]!;
      b[i * q + o]! += s0 + s1;
    }
  }
};

// ---- WebAssembly SIMD kernels --------------------------------------------------------------------------------
// Byte addresses throughout; `stride` = pad·8.
//
// tile(phi, stride, n, s, out): for i = 0, 4, 8, … < s and j = i, i + 4, … < ⌈s/4⌉·4, the 4 × 4 tile
// T[i..i+3][j..j+3] of Σ_r φ_r φ_rᵀ into `out` (row stride `stride`). Four splat rows × two f64x2 column
// vectors, eight f64x2 accumulators; each lane is one entry summed over r = 0, 1, … by f64x2.mul then
// f64x2.add (round-to-nearest per lane, no fused multiply-add), as the JS kernel does.
//
// rhs(phi, stride, n, s, z, q, out): for o < q and i = 0, 2, … < s, lanes (i, i + 1) of Σ_r φ_r·z_ro with even
// and odd rows in separate accumulators, added at the end (the JS two-way dot), into out[o·⌈s/2⌉·2 + i].

function tileFunction(): WasmFunction {
  const [phi, stride, n, s, out, i, j, r, rp, jEnd, ai, aj, tmp] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const acc = (a: number, h: number) => 13 + 2 * a + h; // 13..20
  const spl = (a: number) => 21 + a; // 21..24
  const col = (h: number) => 25 + h; // 25..26
  const rows = [0, 1, 2, 3];
  const halves = [0, 1];
  const inner = loop(
    ...rows.map((a) => [...get(rp), ...get(ai), ...I32_ADD, ...v128Load64Splat(8 * a), ...set(spl(a))]),
    ...halves.map((h) => [...get(rp), ...get(aj), ...I32_ADD, ...v128Load(16 * h), ...set(col(h))]),
    ...rows.flatMap((a) => halves.map((h) => f64x2MulAdd(acc(a, h), get(spl(a)), get(col(h))))),
    [...get(rp), ...get(stride), ...I32_ADD, ...set(rp)],
    [...get(r), ...i32(1), ...I32_SUB, ...tee(r), ...brIf(0)],
  );
  const store = [
    ...[...get(out), ...get(i), ...get(stride), ...I32_MUL, ...I32_ADD, ...get(aj), ...I32_ADD, ...set(tmp)],
    ...rows.flatMap((a) => [
      ...halves.flatMap((h) => [...get(tmp), ...get(acc(a, h)), ...v128Store(16 * h)]),
      ...[...get(tmp), ...get(stride), ...I32_ADD, ...set(tmp)],
    ]),
  ];
  const body = [
    ...[...get(s), ...i32(3), ...I32_ADD, ...i32(-4), ...I32_AND, ...set(jEnd)],
    ...countedLoop(
      i,
      s,
      4,
      [...get(i), ...i32(3), ...I32_SHL, ...set(ai), ...get(i), ...set(j)],
      loop(
        [...get(j), ...i32(3), ...I32_SHL, ...set(aj)],
        rows.flatMap((a) => halves.flatMap((h) => [...V128_ZERO, ...set(acc(a, h))])),
        [...get(phi), ...set(rp), ...get(n), ...set(r)],
        inner,
        store,
        [...get(j), ...i32(4), ...I32_ADD, ...tee(j), ...get(jEnd), ...I32_LT_S, ...brIf(0)],
      ),
    ),
  ];
  return {
    name: "tile",
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [...new Array<number>(8).fill(I32), ...new Array<number>(14).fill(V128)],
    body,
  };
}

function rhsFunction(): WasmFunction {
  const [phi, stride, n, s, z, q, out, o, i, r, rp, zr, sUp] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [even, odd] = [13, 14];
  const madd = (accum: number, rowOffset: number[], zOffset: number) =>
    f64x2MulAdd(accum, [...get(rp), ...rowOffset, ...v128Load(0)], [...get(zr), ...v128Load64Splat(zOffset)]);
  const body = [
    ...[...get(s), ...i32(1), ...I32_ADD, ...i32(-2), ...I32_AND, ...set(sUp)],
    ...countedLoop(
      o,
      q,
      1,
      countedLoop(
        i,
        s,
        2,
        [...V128_ZERO, ...set(even), ...V128_ZERO, ...set(odd)],
        [...get(phi), ...get(i), ...i32(3), ...I32_SHL, ...I32_ADD, ...set(rp)],
        [...get(z), ...get(o), ...i32(B * 8), ...I32_MUL, ...I32_ADD, ...set(zr)],
        [...get(n), ...set(r)],
        block(
          loop(
            [...get(r), ...i32(2), ...I32_LT_S, ...brIf(1)],
            madd(even, [], 0),
            madd(odd, [...get(stride), ...I32_ADD], 8),
            [...get(rp), ...get(stride), ...get(stride), ...I32_ADD, ...I32_ADD, ...set(rp)],
            [...get(zr), ...i32(16), ...I32_ADD, ...set(zr)],
            [...get(r), ...i32(2), ...I32_SUB, ...set(r), ...br(0)],
          ),
        ),
        block([...get(r), ...I32_EQZ, ...brIf(0)], madd(even, [], 0)),
        [...get(out), ...get(o), ...get(sUp), ...I32_MUL, ...get(i), ...I32_ADD, ...i32(3), ...I32_SHL, ...I32_ADD],
        [...get(even), ...get(odd), ...F64X2_ADD, ...v128Store(0)],
      ),
    ),
  ];
  return {
    name: "rhs",
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [...new Array<number>(6).fill(I32), V128, V128],
    body,
  };
}

/** WebAssembly page size in bytes. */
const PAGE = 65536;

/** Builds the WebAssembly kernel, or `undefined` where WebAssembly SIMD cannot run (see `instantiate`). */
function createWasmKernel(): GramBlockKernel | undefined {
  const exports = instantiate(wasmModule([tileFunction(), rhsFunction()], 1)) as
    | {
        tile(phi: number, stride: number, n: number, s: number, out: number): void;
        rhs(phi: number, stride: number, n: number, s: number, z: number, q: number, out: number): void;
        memory: { buffer: ArrayBuffer; grow(pages: number): number };
      }
    | undefined;
  if (!exports) return undefined;
  const { tile, rhs, memory } = exports;
  let heap = new Float64Array(memory.buffer);
  // Memory layout (in doubles): the block [n, pad] at 0, z [q, 256], the tile output [⌈s/4⌉·4, pad], the
  // Φᵀz output [q, ⌈s/2⌉·2].
  return (phi, pad, n, s, z, q, G, gs, b) => {
    const zAt = n * pad;
    const tAt = zAt + q * B;
    const sUp = (s + 1) & ~1;
    const rAt = tAt + ((s + 3) & ~3) * pad;
    const need = (rAt + q * sUp) * 8;
    if (need > memory.buffer.byteLength) {
      memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
      heap = new Float64Array(memory.buffer);
    }
    heap.set(phi.subarray(0, n * pad), 0);
    tile(0, pad * 8, n, s, tAt * 8);
    for (let i = 0; i < s; i++) {
      const t = tAt + i * pad;
      const g = i * gs;
      for (let j = i; j < s; j++) G[g + j]! += heap[t + j]!;
    }
    if (q === 0) return;
    heap.set(z.subarray(0, q * B), zAt);
    rhs(0, pad * 8, n, s, zAt * 8, q, rAt * 8);
    for (let o = 0; o < q; o++) {
      const t = rAt + o * sUp;
      for (let i = 0; i < s; i++) b[i * q + o]! += heap[t + i]!;
    }
  };
}

let wasmKernel: GramBlockKernel | null | undefined;
let preferred: "auto" | "js" = "auto";

/**
 * The WebAssembly SIMD kernel, or `undefined` where it cannot run (built once, at first use).
 *
 * @example
 * ```ts
 * const k = gramBlockWasm(); // undefined in an engine without WebAssembly SIMD
 * ```
 */
export function gramBlockWasm(): GramBlockKernel | undefined {
  if (wasmKernel === undefined) wasmKernel = createWasmKernel() ?? null;
  return wasmKernel ?? undefined;
}

/**
 * Selects the kernel {@link gramBlock} uses: `"auto"` (WebAssembly SIMD where available) or `"js"` (for the
 * same-run comparisons of the roofline benchmark; both give the same bytes).
 *
 * @example
 * ```ts
 * useGramKernel("js"); // … measure … then useGramKernel("auto")
 * ```
 */
export function useGramKernel(kind: "auto" | "js"): void {
  preferred = kind;
}

/**
 * The kernel {@link createNormalEquations} uses: WebAssembly SIMD where available, else plain JS (same bytes).
 * The SIMD kernel, copy into wasm memory included, is faster at every size measured (1 to 462 features:
 * 1.4–7× a block of 256 rows, `bench/roofline.bench.ts`), so there is no size threshold.
 *
 * @example
 * ```ts
 * gramBlock(phi, pad, 256, p, z, q, G, p, b); // adds one block's ΦᵀΦ (upper triangle) and Φᵀz
 * ```
 */
export const gramBlock: GramBlockKernel = (phi, pad, n, s, z, q, G, gs, b) => {
  const wasm = preferred === "auto" ? gramBlockWasm() : undefined;
  (wasm ?? gramBlockJs)(phi, pad, n, s, z, q, G, gs, b);
};
