import { describe, expect, test } from "vitest";
import { createRng, type Rng } from "./rng.js";
import { createStreamBank } from "./stream-bank.js";

describe("createStreamBank", () => {
  test("every row draws what rng.stream(first + r) draws, whichever way it is asked, in any mix", () => {
    const rng = createRng("bank");
    const rows = 7;
    const bank = createStreamBank(rng, 100, rows);
    const refs = Array.from({ length: rows }, (_, r) => rng.stream(100 + r));
    expect(bank.streams.map((s) => s.key)).toEqual(refs.map((s) => s.key));
    for (const length of [3, 1, 2, 5, 0, 4]) {
      // odd lengths leave a cached second normal in the state, which the next call must return first
      const got = new Float64Array(rows * length);
      bank.fillRows(got, length);
      const want = new Float64Array(rows * length);
      for (const [r, s] of refs.entries()) s.fillNormal(want, r * length, length);
      expect(Array.from(got)).toEqual(Array.from(want));
      // the row's own Rng view advances the same state
      expect(bank.streams[2]!.normal()).toBe(refs[2]!.normal());
      expect(bank.streams[5]!.uniform()).toBe(refs[5]!.uniform());
      const a = new Float64Array(9);
      const b = new Float64Array(9);
      bank.streams[0]!.fillNormal(a, 2, 5);
      refs[0]!.fillNormal(b, 2, 5);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
    expect(bank.streams[3]!.stream("x", 1).uniform()).toBe(refs[3]!.stream("x", 1).uniform());
    expect(() => bank.streams[3]!.stream()).toThrowError(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
  test("an Rng not made by createRng gets a bank of its own streams", () => {
    let calls = 0;
    const counting = (key: string): Rng => ({
      key,
      uniform: () => 0.5,
      normal: () => ++calls,
      fillNormal(out, offset = 0, length = out.length - offset) {
        for (let i = offset; i < offset + length; i++) out[i] = this.normal();
      },
      stream: (...k) => counting(`${key}/${k.join("/")}`),
    });
    const bank = createStreamBank(counting("u"), 4, 3);
    expect(bank.streams.map((s) => s.key)).toEqual(["u/4", "u/5", "u/6"]);
    const out = new Float64Array(6);
    bank.fillRows(out, 2);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
