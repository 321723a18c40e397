/// <reference types="node" />
/**
 * The worker protocol over a MessageChannel (what a Worker and its `self` are to each other): `serveFitWorker` on
 * one port, `fitScoreInWorker` on the other. The browser run (a real Web Worker built by Vite) is in the docs e2e.
 */
import { createRng, isMixdiffError, type Rng } from "@mixdiff/core";
import { afterEach, describe, expect, it } from "vitest";
import { rejection, threeAtoms2d } from "../../test/fixtures.js";
import { fitScore } from "../fit-score.js";
import type { FitProgress } from "../resolve-fit-options.js";
import { fitScoreInWorker } from "./fit-score-in-worker.js";
import type { MessageEndpoint } from "./protocol.js";
import { serveFitWorker } from "./serve-fit-worker.js";

const x = threeAtoms2d(4000);
const options = { levels: 6 };

const channels: InstanceType<typeof MessageChannel>[] = [];
/** A page-side endpoint and a served worker side; `sent` records what the page posted. */
function connect() {
  const ch = new MessageChannel();
  channels.push(ch);
  const stop = serveFitWorker(ch.port2 as unknown as MessageEndpoint, { sliceMs: 0 });
  const sent: unknown[] = [];
  const page = ch.port1 as unknown as MessageEndpoint;
  const post = page.postMessage.bind(page);
  page.postMessage = (m: unknown) => {
    sent.push(m);
    post(m);
  };
  return { page, sent, stop };
}
afterEach(() => {
  for (const ch of channels.splice(0)) ch.port1.close();
});

describe("fitScoreInWorker + serveFitWorker", () => {
  it("gives the bytes of fitScore, with fitScore's progress reports on this side", async () => {
    const local: FitProgress[] = [];
    const reference = fitScore(x, { rng: createRng(2).stream("fit"), ...options, onProgress: (p) => local.push(p) });
    const { page } = connect();
    const remote: FitProgress[] = [];
    const model = await fitScoreInWorker(page, x, {
      rng: createRng(2).stream("fit"),
      ...options,
      onProgress: (p) => remote.push(p),
    });
    expect(JSON.stringify(model.toJSON())).toBe(JSON.stringify(reference.toJSON()));
    const strip = ({ elapsedMs: _, ...p }: FitProgress) => p;
    expect(remote.map(strip)).toEqual(local.map(strip));
    expect(remote.length).toBeGreaterThan(options.levels);
  });

  it("aborts through an AbortSignal: rejects with INTERRUPTED, and the worker serves the next fit", async () => {
    const { page, sent } = connect();
    const controller = new AbortController();
    let levels = 0;
    const e = await rejection(
      fitScoreInWorker(page, x, {
        rng: createRng(3),
        ...options,
        signal: controller.signal,
        onProgress: () => {
          if (++levels === 1) controller.abort();
        },
      }),
    );
    expect(isMixdiffError(e) && e.code).toBe("INTERRUPTED");
    expect(sent.map((m) => (m as { type: string }).type)).toEqual(["mixdiff:fit", "mixdiff:fit-abort"]);
    // the worker stopped within a few blocks of the first level (a level has ≥ 3 maps; the fit has 13 levels)
    expect(levels).toBeLessThanOrEqual(2);
    const next = await fitScoreInWorker(page, x, { rng: createRng(4), ...options });
    expect(next.diagnostics.levels.length).toBeGreaterThan(options.levels);
  });

  it("a signal already aborted rejects at once and sends nothing", async () => {
    const { page, sent } = connect();
    const e = await rejection(fitScoreInWorker(page, x, { rng: createRng(3), signal: AbortSignal.abort() }));
    expect(isMixdiffError(e) && e.code).toBe("INTERRUPTED");
    expect(sent).toEqual([]);
  });

  it("bad options reject here, naming the field, before anything is sent", async () => {
    const { page, sent } = connect();
    const cases: [Record<string, unknown>, string][] = [
      [{ rng: createRng(1), levels: 1 }, "levels"],
      [{ rng: createRng(1), degree: -2 }, "degree"],
      [{ rng: { uniform: () => 0.5, normal: () => 0, stream: () => null } as unknown as Rng }, "rng"],
    ];
    for (const [o, path] of cases) {
      const e = await rejection(fitScoreInWorker(page, x, o as never));
      expect(isMixdiffError(e) && [e.code, e.location.path]).toEqual(["INVALID_OPTION", path]);
    }
    const w = await rejection(fitScoreInWorker({} as MessageEndpoint, x, { rng: createRng(1) }));
    expect(isMixdiffError(w) && w.code).toBe("INVALID_INPUT");
    expect(sent).toEqual([]);
  });

  it("an error in the worker comes back as a MixdiffError with its code and message", async () => {
    const { page } = connect();
    const few = { data: x.data.subarray(0, 60), rows: 30, cols: 2 };
    const e = await rejection(fitScoreInWorker(page, few, { rng: createRng(1) }));
    expect(isMixdiffError(e) && e.code).toBe("INVALID_INPUT");
    expect((e as Error).message).toMatch(/need at least 50 samples; got 30/);
  });

  it("serveFitWorker leaves other messages alone, and stops serving when asked", async () => {
    const ch = new MessageChannel();
    channels.push(ch);
    const seen: unknown[] = [];
    ch.port2.addEventListener("message", (ev) => seen.push((ev as unknown as { data: unknown }).data));
    const stop = serveFitWorker(ch.port2 as unknown as MessageEndpoint);
    ch.port1.start();
    const replies: unknown[] = [];
    ch.port1.addEventListener("message", (ev) => replies.push((ev as unknown as { data: unknown }).data));
    ch.port1.postMessage({ type: "app:job", id: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([{ type: "app:job", id: 1 }]);
    expect(replies).toEqual([]);
    stop();
    ch.port1.postMessage({ type: "mixdiff:fit", id: 9, samples: x, options, rngKey: "1" });
    await new Promise((r) => setTimeout(r, 50));
    expect(replies).toEqual([]);
    expect(() => serveFitWorker({} as MessageEndpoint)).toThrow(/scope must receive and post messages/);
  });
});
