/**
 * Roofline of the Gram/feature kernel (issue 17): multiply-adds per second of the normal-equation block
 * kernel (JS and WebAssembly SIMD, same bytes) and of the whole learner step (Hermite features + `add`),
 * against this machine's measured peaks in the same process — a plain JS dot-product loop (1 and 4
 * accumulators) and a WebAssembly SIMD dot product (f64x2, two vector accumulators) on L1-resident data —
 * and beside a per-row rank-1 update of the Gram (what an unblocked accumulation does). Every configuration
 * runs once per round, rounds interleave, and the rows report medians over rounds (the machine is shared).
 * Imported by `mixdiff bench` (suite `roofline`); `pnpm --filter @mixdiff/polyreg roofline [--quick]` runs it
 * standalone.
 */
import { createRng } from "@mixdiff/core";
import { createBasis } from "../src/create-basis.js";
import { gramBlockJs, gramBlockWasm, useGramKernel } from "../src/gram-block.js";
import { createNormalEquations } from "../src/normal-equations.js";
import {
  brIf,
  F64,
  F64_ADD,
  F64X2_ADD,
  f64x2Lane,
  f64x2MulAdd,
  get,
  I32,
  I32_ADD,
  I32_LT_S,
  I32_SHL,
  i32,
  instantiate,
  loop,
  set,
  V128,
  V128_ZERO,
  v128Load,
  wasmModule,
} from "../src/wasm-bytes.js";

declare const performance: { now(): number };

/** One roofline row. */
export interface RooflineRow {
  package: "@mixdiff/polyreg";
  name: string;
  kind: "peak" | "block kernel" | "features+accumulate" | "rank-1 per row" | "features";
  implementation: "js" | "wasm";
  /** Feature count (0 for the peaks). */
  p: number;
  /** Multiply-adds per second (median over rounds); for `features`, feature values per second. */
  maddsPerSecond: number;
  /** Fraction of the JS dot-product peak (4 accumulators) and of the WebAssembly SIMD dot peak. */
  ofJsPeak: number;
  ofWasmPeak: number;
  /** Same-round speedup of this row over its JS counterpart (wasm rows), median over rounds. */
  speedupOverJs?: number;
  rounds: number;
}

/** `dot(a, b, n)` in WebAssembly SIMD: two f64x2 accumulators (n a multiple of 4, byte addresses). */
function wasmDot(): ((a: number, b: number, n: number) => number) | undefined {
  const [a, b, n, end, s0, s1] = [0, 1, 2, 3, 4, 5];
  const step = (acc: number, off: number) =>
    f64x2MulAdd(acc, [...get(a), ...v128Load(off)], [...get(b), ...v128Load(off)]);
  const body = [
    ...[...V128_ZERO, ...set(s0), ...V128_ZERO, ...set(s1)],
    ...[...get(n), ...i32(3), ...I32_SHL, ...get(a), ...I32_ADD, ...set(end)],
    ...loop(
      step(s0, 0),
      step(s1, 16),
      [...get(a), ...i32(32), ...I32_ADD, ...set(a), ...get(b), ...i32(32), ...I32_ADD, ...set(b)],
      [...get(a), ...get(end), ...I32_LT_S, ...brIf(0)],
    ),
    ...[...get(s0), ...get(s1), ...F64X2_ADD, ...set(s0)],
    ...[...get(s0), ...f64x2Lane(0), ...get(s0), ...f64x2Lane(1), ...F64_ADD],
  ];
  const ex = instantiate(
    wasmModule([{ name: "dot", params: [I32, I32, I32], results: [F64], locals: [I32, V128, V128], body }], 1),
  ) as { dot(a: number, b: number, n: number): number; memory: { buffer: ArrayBuffer } } | undefined;
  if (!ex) return undefined;
  const heap = new Float64Array(ex.memory.buffer);
  for (let k = 0; k < 512; k++) heap[k] = Math.sin(k);
  return ex.dot;
}

/** ms per call: doubles the repetitions until one batch takes `minMs`. */
function msPerCall(f: () => void, minMs: number): number {
  for (let reps = 1; ; reps *= 2) {
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) f();
    const dt = performance.now() - t0;
    if (dt >= minMs) return dt / reps;
  }
}

const median = (a: readonly number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The learner's sizes: m = 2, 3 (degree 6, 5) and the polyreg suite's p = 126, 462. */
const CASES = [
  { dim: 2, degree: 6 }, // p = 28
  { dim: 3, degree: 5 }, // p = 56
  { dim: 4, degree: 5 }, // p = 126
  { dim: 5, degree: 6 }, // p = 462
] as const;

/**
 * Runs the roofline measurements.
 *
 * @param options - `quick`: 2 rounds of ≥ 20 ms per configuration (CI smoke run); otherwise 7 rounds of ≥ 150 ms.
 * @returns one row per (kind, implementation, p), plus the three peaks.
 *
 * @example
 * ```ts
 * const rows = await runRooflineBench({ quick: true });
 * rows.filter((r) => r.kind === "block kernel").map((r) => [r.implementation, r.p, r.ofWasmPeak]);
 * ```
 */
export async function runRooflineBench({ quick = false }: { quick?: boolean } = {}): Promise<RooflineRow[]> {
  const rounds = quick ? 2 : 7;
  const minMs = quick ? 20 : 150;
  const L = 256;
  const x = new Float64Array(L).map((_, k) => Math.sin(k));
  const y = new Float64Array(L).map((_, k) => Math.cos(k));
  let sink = 0;
  const dot1 = () => {
    let s = 0;
    for (let k = 0; k < L; k++) s += x[k]! * y[k]!;
    sink += s;
  };
  const dot4 = () => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < L; k += 4) {
      s0 += x[k]! * y[k]!;
      s1 += x[k + 1]! * y[k + 1]!;
      s2 += x[k + 2]! * y[k + 2]!;
      s3 += x[k + 3]! * y[k + 3]!;
    }
    sink += s0 + s1 + s2 + s3;
  };
  const wdot = wasmDot();
  const wasm = gramBlockWasm();

  // Per p: one block of 256 rows (row-major, as the accumulator holds it), the learner step's inputs.
  const cases = CASES.map((c) => {
    const basis = createBasis({ dim: c.dim, degree: c.degree });
    const p = basis.size;
    const pad = (p + 3) & ~3;
    const rng = createRng(`roofline-${p}`);
    const blockPhi = new Float64Array(L * pad);
    for (let r = 0; r < L; r++) for (let i = 0; i < p; i++) blockPhi[r * pad + i] = rng.normal();
    const q = c.dim;
    const z = new Float64Array(q * L);
    rng.fillNormal(z);
    const G = new Float64Array(p * p);
    const b = new Float64Array(p * q);
    // Learner step: enough rows for ≈ 2e7 Gram multiply-adds per call (quick: a quarter).
    const rows = Math.max(L, Math.round((quick ? 5e6 : 2e7) / ((p * (p + 1)) / 2) / L) * L);
    const u = new Float64Array(rows * c.dim);
    const zz = new Float64Array(rows * q);
    rng.fillNormal(u);
    rng.fillNormal(zz);
    const chunk = 256;
    const phi = new Float64Array(chunk * p);
    const step = () => {
      const ne = createNormalEquations(p, q);
      for (let r = 0; r < rows; r += chunk) {
        const n = Math.min(chunk, rows - r);
        basis.evaluate(u.subarray(r * c.dim, (r + n) * c.dim), n, phi);
        ne.add(phi, zz.subarray(r * q, (r + n) * q), n);
      }
      sink += ne.rows;
    };
    const features = () => {
      for (let r = 0; r < rows; r += chunk) {
        const n = Math.min(chunk, rows - r);
        basis.evaluate(u.subarray(r * c.dim, (r + n) * c.dim), n, phi);
      }
    };
    // Per-row rank-1 update of the upper triangle (unblocked accumulation), one block of rows.
    const rank1 = () => {
      for (let r = 0; r < L; r++) {
        const o = r * pad;
        for (let i = 0; i < p; i++) {
          const v = blockPhi[o + i]!;
          const gi = i * p;
          for (let j = i; j < p; j++) G[gi + j]! += v * blockPhi[o + j]!;
        }
      }
    };
    const blockMadds = L * ((p * (p + 1)) / 2 + p * q);
    const stepMadds = rows * ((p * (p + 1)) / 2 + p * q);
    return { p, pad, q, blockPhi, z, G, b, rows, step, features, rank1, blockMadds, stepMadds };
  });

  const samples = new Map<string, number[]>();
  const put = (k: string, v: number) => (samples.get(k) ?? samples.set(k, []).get(k)!).push(v);
  for (let round = 0; round < rounds; round++) {
    put("dot1", L / msPerCall(dot1, minMs));
    put("dot4", L / msPerCall(dot4, minMs));
    if (wdot) put("wdot", L / msPerCall(() => void (sink += wdot(0, 2048, L)), minMs));
    for (const c of cases) {
      const kernel = (k: typeof gramBlockJs) => () => k(c.blockPhi, c.pad, L, c.p, c.z, c.q, c.G, c.p, c.b);
      const js = c.blockMadds / msPerCall(kernel(gramBlockJs), minMs);
      put(`block js ${c.p}`, js);
      if (wasm) {
        const w = c.blockMadds / msPerCall(kernel(wasm), minMs);
        put(`block wasm ${c.p}`, w);
        put(`block ratio ${c.p}`, w / js);
      }
      useGramKernel("js");
      const sj = c.stepMadds / msPerCall(c.step, minMs);
      useGramKernel("auto");
      put(`step js ${c.p}`, sj);
      if (wasm) {
        const sw = c.stepMadds / msPerCall(c.step, minMs);
        put(`step wasm ${c.p}`, sw);
        put(`step ratio ${c.p}`, sw / sj);
      }
      put(`rank1 ${c.p}`, (L * (c.p * (c.p + 1))) / 2 / msPerCall(c.rank1, minMs));
      put(`features ${c.p}`, (c.rows * c.p) / msPerCall(c.features, minMs));
    }
    await Promise.resolve();
  }
  if (sink === 42) throw new Error("unreachable"); // keeps the measured work observable

  const perSecond = (k: string) => median(samples.get(k) ?? [Number.NaN]) * 1000;
  const jsPeak = perSecond("dot4");
  const wasmPeak = perSecond("wdot");
  const row = (
    name: string,
    kind: RooflineRow["kind"],
    implementation: RooflineRow["implementation"],
    p: number,
    key: string,
    ratioKey?: string,
  ): RooflineRow => {
    const v = perSecond(key);
    return {
      package: "@mixdiff/polyreg",
      name,
      kind,
      implementation,
      p,
      maddsPerSecond: v,
      ofJsPeak: v / jsPeak,
      ofWasmPeak: v / wasmPeak,
      ...(ratioKey && samples.has(ratioKey) ? { speedupOverJs: median(samples.get(ratioKey)!) } : {}),
      rounds,
    };
  };
  const out: RooflineRow[] = [
    row("peak: JS dot product, 1 accumulator", "peak", "js", 0, "dot1"),
    row("peak: JS dot product, 4 accumulators", "peak", "js", 0, "dot4"),
  ];
  if (wdot) out.push(row("peak: WebAssembly SIMD dot product (f64x2 × 2)", "peak", "wasm", 0, "wdot"));
  for (const c of cases) {
    out.push(row(`block kernel p=${c.p} (JS 2×4 tile)`, "block kernel", "js", c.p, `block js ${c.p}`));
    if (wasm)
      out.push(
        row(
          `block kernel p=${c.p} (wasm SIMD 4×4 tile)`,
          "block kernel",
          "wasm",
          c.p,
          `block wasm ${c.p}`,
          `block ratio ${c.p}`,
        ),
      );
    out.push(row(`features+accumulate p=${c.p} (JS kernel)`, "features+accumulate", "js", c.p, `step js ${c.p}`));
    if (wasm)
      out.push(
        row(
          `features+accumulate p=${c.p} (wasm kernel)`,
          "features+accumulate",
          "wasm",
          c.p,
          `step wasm ${c.p}`,
          `step ratio ${c.p}`,
        ),
      );
    out.push(row(`rank-1 update per row p=${c.p}`, "rank-1 per row", "js", c.p, `rank1 ${c.p}`));
    out.push(row(`Hermite features p=${c.p} (values/s)`, "features", "js", c.p, `features ${c.p}`));
  }
  return out;
}
