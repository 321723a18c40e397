/**
 * A minimal WebAssembly binary writer: enough of the format (types, functions, one memory, exports, code) and
 * of the instruction set (i32 arithmetic, locals, loops, f64 and f64x2 SIMD loads, stores and arithmetic) to
 * hand-write small numeric kernels in TypeScript and compile them at runtime, with no toolchain. Internal to
 * the package (used by `gram-block.ts` and the roofline benchmark).
 */

/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** LEB128 encoding (unsigned, or signed for `i32.const`). */
export function leb(v: number, signed = false): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v = signed ? v >> 7 : v >>> 7;
    const done = signed ? (v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40) !== 0) : v === 0;
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const name = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** One exported function: its signature, extra locals (after the parameters) and body (without `end`). */
export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  readonly locals: readonly number[];
  readonly body: readonly number[];
}

/**
 * The bytes of a module exporting `functions` and a memory of `pages` × 64 KiB (exported as `memory`).
 *
 * @example
 * ```ts
 * const bytes = wasmModule([{ name: "one", params: [], results: [I32], locals: [], body: i32(1) }], 1);
 * ```
 */
export function wasmModule(functions: readonly WasmFunction[], pages: number): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const code = functions.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, 0x0b];
    return [...leb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => leb(i)))),
    ...section(5, vec([[0x00, ...leb(pages)]])),
    ...section(7, vec([...functions.map((f, i) => [...name(f.name), 0x00, ...leb(i)]), [...name("memory"), 0x02, 0]])),
    ...section(10, vec(code)),
  ]);
}

// Instructions.
export const get = (l: number): number[] => [0x20, ...leb(l)];
export const set = (l: number): number[] => [0x21, ...leb(l)];
export const tee = (l: number): number[] => [0x22, ...leb(l)];
export const i32 = (v: number): number[] => [0x41, ...leb(v, true)];
export const I32_ADD = [0x6a];
export const I32_SUB = [0x6b];
export const I32_MUL = [0x6c];
export const I32_AND = [0x71];
export const I32_SHL = [0x74];
export const I32_LT_S = [0x48];
export const I32_GE_S = [0x4e];
export const I32_EQZ = [0x45];
export const F64_ADD = [0xa0];
export const F64_MUL = [0xa2];
export const f64Load = (offset = 0): number[] => [0x2b, 3, ...leb(offset)];
const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...leb(op), ...imm];
/** v128.load / v128.store / v128.load64_splat at address + `offset` (alignment hint 8 bytes). */
export const v128Load = (offset = 0): number[] => simd(0x00, 3, ...leb(offset));
export const v128Store = (offset = 0): number[] => simd(0x0b, 3, ...leb(offset));
export const v128Load64Splat = (offset = 0): number[] => simd(0x0a, 3, ...leb(offset));
export const V128_ZERO = simd(0x0c, ...new Array<number>(16).fill(0));
export const F64X2_SPLAT = simd(0x14);
export const F64X2_ADD = simd(0xf0);
export const F64X2_MUL = simd(0xf2);
export const f64x2Lane = (lane: number): number[] => simd(0x21, lane);
export const block = (...body: number[][]): number[] => [0x02, 0x40, ...body.flat(), 0x0b];
export const loop = (...body: number[][]): number[] => [0x03, 0x40, ...body.flat(), 0x0b];
export const br = (depth: number): number[] => [0x0c, ...leb(depth)];
export const brIf = (depth: number): number[] => [0x0d, ...leb(depth)];

/** `acc ← acc + x·y` on f64x2 lanes (`x`, `y` push one v128 each): f64x2.mul then f64x2.add, no fused multiply-add. */
export const f64x2MulAdd = (acc: number, x: number[], y: number[]): number[] => [
  ...get(acc),
  ...x,
  ...y,
  ...F64X2_MUL,
  ...F64X2_ADD,
  ...set(acc),
];

/** `for (v = 0; v < end; v += step) body` over i32 locals `v` and `end` (a block around a loop). */
export const countedLoop = (v: number, end: number, step: number, ...body: number[][]): number[] => [
  ...i32(0),
  ...set(v),
  ...block(
    loop([...get(v), ...get(end), ...I32_GE_S, ...brIf(1)], ...body, [
      ...get(v),
      ...i32(step),
      ...I32_ADD,
      ...set(v),
      ...br(0),
    ]),
  ),
];

/** The subset of the WebAssembly JS API used here (the package's TypeScript lib has no DOM or Node types). */
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/**
 * Compiles and instantiates `bytes`, or `undefined` where WebAssembly (or a feature the module uses, e.g.
 * SIMD) is unavailable, or compilation is refused (a Content-Security-Policy without `wasm-unsafe-eval`).
 * Synchronous: fine for modules under 4 KB, which browsers compile on the main thread.
 *
 * @example
 * ```ts
 * const exports = instantiate(bytes); // undefined in an engine without WebAssembly SIMD
 * ```
 */
export function instantiate(bytes: Uint8Array): Record<string, unknown> | undefined {
  const wa = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wa) return undefined;
  try {
    if (!wa.validate(bytes)) return undefined;
    return new wa.Instance(new wa.Module(bytes), {}).exports;
  } catch {
    return undefined;
  }
}
