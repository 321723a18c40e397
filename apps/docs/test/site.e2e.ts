/**
 * End-to-end tests of the built site in Debian's Chromium (playwright-core, no downloaded browser):
 * every page loads without a console error, a failed request or an HTTP error; the playground fits a
 * model to completion in its Web Worker and shows learned samples and metrics. Screenshots go to
 * test-results/ (gitignored). Needs `pnpm docs:build` first (turbo's e2e task depends on build).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serveStatic } from "./static-server";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, ".vitepress", "dist");
const shots = join(root, "test-results");

/** Every HTML page of the built site, as URL paths. */
function pages(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== "assets") walk(p);
      } else if (name.endsWith(".html") && name !== "404.html") out.push(`/${relative(dist, p).split("\\").join("/")}`);
    }
  };
  walk(dist);
  return out.sort();
}

let browser: Browser;
let site: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  if (!existsSync(join(dist, "index.html"))) throw new Error(`no built site at ${dist}: run \`pnpm docs:build\` first`);
  mkdirSync(shots, { recursive: true });
  site = await serveStatic(dist);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A page that records every console error, page error, failed request and HTTP error status. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => {
    // VitePress prefetches linked pages; leaving a page cancels those (net::ERR_ABORTED), which is not a failure.
    const why = r.failure()?.errorText ?? "";
    if (why !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} (${why})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, problems };
}

function shotName(path: string): string {
  return `${
    path
      .replace(/^\//, "")
      .replace(/\.html$/, "")
      .replace(/[^a-z0-9]+/gi, "-") || "index"
  }.png`;
}

/** A heading's text without VitePress's anchor (a zero-width space). */
const headingText = (t: string) => t.replace(/\u200b/g, "").trim();

type Box = { x: number; y: number; width: number; height: number };
const boxOf = async (l: Locator): Promise<Box> => {
  const b = await l.boundingBox();
  if (!b) throw new Error("element not visible");
  return b;
};

/** Plots side by side line up (their frames start at the same height), and nothing is drawn outside a frame. */
async function checkPlotLayout(page: Page) {
  const rows = page.locator(".results .plots");
  expect(await rows.count()).toBe(2);
  for (let r = 0; r < 2; r++) {
    const tops = [];
    for (const f of await rows.nth(r).locator("[data-testid=frame]").all()) tops.push((await boxOf(f)).y);
    expect(tops.length, `row ${r}`).toBeGreaterThanOrEqual(2);
    for (const t of tops) expect(Math.abs(t - tops[0]!), `row ${r}: frame tops ${tops}`).toBeLessThan(1);
  }
  for (const id of ["learned-plot", "field-plot"]) {
    const plot = page.getByTestId(id);
    const frame = await boxOf(plot.locator("[data-testid=frame]"));
    // every heat cell inside the frame; points and arrows are clipped to it
    const cells = await plot.locator(".heat rect").evaluateAll((els) =>
      els.map((e) => {
        const b = e.getBoundingClientRect();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      }),
    );
    if (id === "learned-plot") expect(cells.length).toBeGreaterThan(50);
    const off = cells.filter(
      (c) =>
        c.x < frame.x - 0.5 ||
        c.y < frame.y - 0.5 ||
        c.x + c.width > frame.x + frame.width + 0.5 ||
        c.y + c.height > frame.y + frame.height + 0.5,
    );
    expect(off, `${id}: heat cells outside the frame`).toEqual([]);
    const clipped = await plot.locator("g[clip-path]").count();
    expect(clipped, `${id}: clipped layers`).toBeGreaterThanOrEqual(2);
  }
}

/** The metrics table: a noise-floor column, estimates that cannot be told from 0 marked ≈ 0, and the words for it. */
async function checkMetricsReport(page: Page) {
  expect(await page.locator("[data-testid=metrics] thead th").allTextContents()).toEqual([
    "metric (0 = same distribution)",
    "diffusion model",
    "EM",
    "perfect sampler (noise floor)",
  ]);
  const note = (await page.getByTestId("metrics-note").textContent()) ?? "";
  for (const w of ["unbiased", "negative", "standard error", "last column"]) expect(note).toContain(w);
  for (const row of await page.locator("[data-testid=metrics] tbody tr").all()) {
    const cells = await row.locator("td").all();
    const name = (await cells[0]!.textContent()) ?? "";
    const unbiased = /MMD|energy/.test(name);
    for (const cell of cells.slice(1)) {
      const text = (await cell.textContent()) ?? "";
      const m = /^\s*(-?[\d.e+-]+)\s*±\s*([\d.e+-]+)/.exec(text);
      expect(m, `${name}: "${text}"`).not.toBeNull();
      const [value, se] = [Number(m![1]), Number(m![2])];
      const tagged = (await cell.locator("[data-testid=within-noise]").count()) === 1;
      // marked ≈ 0 exactly when an unbiased estimate is within two standard errors of 0 (unless the rounded
      // figures on the page are too close to the line to tell)
      if (Math.abs(Math.abs(value) - 2 * se) > 0.2 * se)
        expect(tagged, `${name}: "${text}"`).toBe(unbiased && Math.abs(value) <= 2 * se);
    }
  }
}

/**
 * The practical learner's levels: down to t = 0, each with what it fitted on the base, and its error resolved as a
 * percentage or, within its noise, an upper bound — never a bare 0 %.
 */
async function checkLevelReport(page: Page) {
  const shown = await page.locator("[data-testid=held-out-error]").allTextContents();
  expect(shown.length).toBeGreaterThan(1);
  for (const s of shown) {
    expect(s.trim()).toMatch(/^(< )?\d+(\.\d+)? %$/);
    expect(s.trim(), "an error shown as exactly zero").not.toMatch(/^0(\.0+)? %$/);
  }
  const rows = page.locator("[data-testid=level-table] tbody tr");
  expect((await rows.last().locator("td").first().textContent())?.trim(), "the last level is at t = 0").toBe("0");
  for (const c of await page.locator("[data-testid=level-correction]").allTextContents())
    expect(c.trim()).toMatch(/^(base only|degree \d, ridge [\d.e-]+)$/);
  expect(await page.getByTestId("level-note").textContent()).toContain("t = 0");
  // On the default settings the learner's notes are explained, and none is a warning.
  expect(await page.locator("[data-testid=learner-note][data-kind=warning]").count()).toBe(0);
}

/** A small fit on the playground as it is set up (1 500 samples, 8 levels): it finishes and draws learned samples. */
async function fitSmall(page: Page) {
  await page.getByTestId("train-size").fill("1500");
  await page.getByTestId("levels").fill("8");
  const fit = page.getByTestId("fit");
  await expect.poll(() => fit.isEnabled(), { timeout: 20_000 }).toBe(true);
  await fit.click();
  await page.locator('[data-testid=status][data-state="done"], [data-testid=status][data-state="error"]').waitFor({
    timeout: 90_000,
  });
  const status = (await page.getByTestId("status").textContent()) ?? "";
  expect(await page.getByTestId("status").getAttribute("data-state"), status).toBe("done");
  expect(await page.locator("[data-testid=learned-samples] circle").count()).toBeGreaterThan(500);
}

describe("built site", () => {
  test("has the pages of every section", () => {
    const all = pages();
    for (const p of [
      "/index.html",
      "/guide/index.html",
      "/guide/method.html",
      "/examples/playground.html",
      "/examples/sample-size.html",
      "/contributing/index.html",
      "/benchmarks.html",
      "/cli/reference.html",
      "/api/index.html",
    ]) {
      expect(all, p).toContain(p);
    }
    // The API reference covers every package (a page each, interfaces and types on pages of their own).
    for (const pkg of ["core", "schedules", "mixtures", "polyreg", "score", "diffusion", "metrics"]) {
      expect(all, pkg).toContain(`/api/@mixdiff/${pkg}/index.html`);
    }
    expect(all).toContain("/api/@mixdiff/score/interfaces/FitScoreOptions.html");
    expect(all).toContain("/api/@mixdiff/score/functions/fitScore.html");
    // The docs app's own README is not a page.
    expect(all).not.toContain("/README.html");
    // Generated references carry their content: the CLI's commands, the learner's entry points.
    const html = (p: string) => readFileSync(join(dist, p), "utf8");
    for (const c of ["generate", "fit", "sample", "evaluate", "demo"])
      expect(html("cli/reference.html")).toContain(`mixdiff ${c}`);
    // `fit` as the CLI now has it: the learner's presets and choices, not the first learner's switches
    for (const o of ["--preset", "--estimator", "--gating"]) expect(html("cli/reference.html")).toContain(o);
    for (const o of ["--no-shrink", "--no-mixture-base"]) expect(html("cli/reference.html")).not.toContain(o);
    for (const f of ["fitScore", "exactScoreModel", "loadScoreModel"])
      expect(html("api/@mixdiff/score/index.html")).toContain(`functions/${f}`);
    expect(html("api/@mixdiff/diffusion/index.html")).toContain("exponentialIntegrator");
  });

  test("home page: a picture of data → learned samples, drawn by the library", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${site.url}/`, { waitUntil: "load" });
    const img = page.locator("[data-testid=home-figure] img");
    await img.waitFor();
    await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(1080);
    const box = await boxOf(img);
    expect(box.width).toBeGreaterThan(800); // as wide as the hero, not a thumbnail
    expect(box.y).toBeLessThan(900); // starts on the first screen
    const svg = await (await page.request.get(`${site.url}/demo-samples.svg`)).text();
    expect(svg).toContain(">diffusion model (paper)</text>");
    expect(await page.locator("[data-testid=home-figure] figcaption").textContent()).toContain("mixdiff demo");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("benchmarks page: the committed figures of BENCHMARKS.md", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${site.url}/benchmarks.html`, { waitUntil: "load" });
    const bench = page.getByTestId("benchmarks");
    const md = readFileSync(join(root, "..", "..", "BENCHMARKS.md"), "utf8");
    const sections = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.replaceAll("`", ""));
    expect(sections.length).toBeGreaterThan(3);
    expect(await bench.locator("h2").allTextContents()).toEqual(sections.map((t) => expect.stringContaining(t)));
    expect(await bench.locator("table").count()).toBe((md.match(/^\| --- /gm) ?? []).length);
    // the first target's row, figure for figure (named "fit 20 000 points, 2-D, defaults (fitScore on one thread)"
    // since the issue-17 report; "fitScore, 20 000 points, 2-D, defaults" before)
    const target = /^\| ([^|]*20 000 points, 2-D[^|]*) \| ([^|]+) \| ([^|]+) \|/m.exec(md);
    expect(target).not.toBeNull();
    const row = bench.locator("tr", { hasText: target![1]!.trim() });
    expect(await row.textContent()).toContain(target![3]!.trim());
    expect(await page.locator("body").textContent()).not.toContain("No benchmark results");
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("API reference: by task (fit, sample, measure) with functions first, and pages of readable length", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${site.url}/api/`, { waitUntil: "load" });
    const h2 = await page.locator(".vp-doc h2").allTextContents();
    expect(h2.slice(0, 3).map(headingText)).toEqual(["Fit a model", "Sample", "Measure"]);
    const firstOf = async (id: string) =>
      (await page.locator(`.vp-doc h2#${id} + p + ul li a`).first().textContent())?.trim();
    expect(await firstOf("fit")).toBe("fitScore()");
    expect(await firstOf("sample")).toBe("sample()");
    expect(await firstOf("measure")).toBe("evaluateSamples()");
    // the link lands on the function's own page
    await page.locator(".vp-doc h2#fit + p + ul li a").first().click();
    await page.waitForURL(/\/api\/@mixdiff\/score\/functions\/fitScore(\.html)?$/);
    // the SPA changes the URL before it renders the new page: wait for the heading, not just the address
    await expect.poll(() => page.locator(".vp-doc h1").textContent(), { timeout: 10_000 }).toContain("fitScore");
    // every package page is a short index: its functions first (the task's entry points at the top), then the rest
    const firstFunction = {
      score: "fitScore",
      diffusion: "sample",
      metrics: "evaluateSamples",
      mixtures: "createDistribution",
    };
    for (const pkg of ["core", "schedules", "mixtures", "polyreg", "score", "diffusion", "metrics"]) {
      await page.goto(`${site.url}/api/@mixdiff/${pkg}/`, { waitUntil: "load" });
      const groups = (await page.locator(".vp-doc h2").allTextContents()).map(headingText);
      expect(groups[0], pkg).toBe("Functions");
      const first = firstFunction[pkg as keyof typeof firstFunction];
      if (first)
        expect(await page.locator(".vp-doc table").first().locator("tbody tr td a").first().textContent()).toBe(first);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height, `${pkg} page height`).toBeLessThan(8_000);
    }
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("CLI reference: help texts wrap inside their blocks, on a wide and on a phone-sized screen", async () => {
    const { page, problems } = await watchedPage();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${site.url}/cli/reference.html`, { waitUntil: "load" });
      const blocks = page.locator(".vp-doc div[class*=language-] pre");
      expect(await blocks.count()).toBeGreaterThan(5);
      const overflow = await blocks.evaluateAll((els) =>
        els.map((e) => e.scrollWidth - e.clientWidth).filter((d) => d > 1),
      );
      expect(overflow, `width ${width}: blocks wider than their box`).toEqual([]);
      // and nothing is cut: the longest help line is still there in full
      expect(await page.locator(".vp-doc").textContent()).toContain("mixdiff generate --example gmm2d --n 10000");
    }
    await page.screenshot({ path: join(shots, "cli-reference-narrow.png") });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("every page loads without console errors or failed requests", async () => {
    const { page, problems } = await watchedPage();
    const all = pages();
    // The API reference has a page per function, constant, interface and type (about 230), all from one template:
    // the browser opens every other page, every package page and the first member page of each kind per package;
    // the remaining member pages are fetched over HTTP and checked for their heading.
    const member = /^\/api\/@mixdiff\/[^/]+\/(functions|variables|classes|interfaces|type-aliases)\//;
    const firstOfKind = new Set<string>();
    const seen = new Set<string>();
    for (const p of all) {
      const kind = /^(\/api\/@mixdiff\/[^/]+\/[^/]+)\//.exec(p)?.[1];
      if (kind && member.test(p) && !seen.has(kind)) {
        seen.add(kind);
        firstOfKind.add(p);
      }
    }
    const inBrowser = all.filter((p) => !member.test(p) || firstOfKind.has(p));
    const overHttp = all.filter((p) => !inBrowser.includes(p));
    expect(overHttp.length).toBeGreaterThan(100);
    for (const p of overHttp) {
      const r = await page.request.get(site.url + p);
      expect(r.status(), p).toBe(200);
      expect(await r.text(), p).toMatch(/<h1[^>]*>/);
    }
    // Screenshots of the non-API pages (full length for the examples) and of two API pages.
    const screenshot = (p: string) =>
      !p.startsWith("/api/") || p === "/api/index.html" || p === "/api/@mixdiff/score/functions/fitScore.html";
    for (const p of inBrowser) {
      const before = problems.length;
      await page.goto(site.url + p, { waitUntil: "load" });
      await page.locator(".VPContent").first().waitFor();
      expect(await page.locator("h1").count(), `${p} has a heading`).toBeGreaterThan(0);
      if (p === "/benchmarks.html") await page.getByTestId("benchmarks").waitFor();
      if (screenshot(p))
        await page.screenshot({ path: join(shots, shotName(p)), fullPage: p.startsWith("/examples/") });
      expect(problems.slice(before), p).toEqual([]);
    }
    await page.context().close();
  });

  test("playground: fits in the worker, draws learned samples, shows metrics, animates", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${site.url}/examples/playground.html`, { waitUntil: "load" });
    const fit = page.getByTestId("fit");
    await expect.poll(() => fit.isEnabled(), { timeout: 20_000 }).toBe(true);
    await fit.click();
    await page.locator('[data-testid=status][data-state="done"], [data-testid=status][data-state="error"]').waitFor({
      timeout: 90_000,
    });
    const state = await page.getByTestId("status").getAttribute("data-state");
    expect(state, (await page.getByTestId("status").textContent()) ?? "").toBe("done");
    expect(await page.getByTestId("progress").evaluate((e) => (e as HTMLProgressElement).value)).toBe(1);

    const learned = await page.locator("[data-testid=learned-samples] circle").count();
    expect(learned).toBeGreaterThan(500);
    expect(await page.locator("[data-testid=em-samples] circle").count()).toBeGreaterThan(500);
    expect(await page.locator("[data-testid=field-learned] line").count()).toBeGreaterThan(100);
    const rows = page.locator("[data-testid=metrics] tbody tr");
    expect(await rows.count()).toBe(3);
    for (const text of await rows.allTextContents()) expect(text).toMatch(/\d/);
    expect(await page.locator("[data-testid=level-table] tbody tr").count()).toBeGreaterThan(1);
    expect(await page.getByTestId("kl-term").textContent()).toMatch(/\d/);
    await checkPlotLayout(page);
    await checkMetricsReport(page);
    await checkLevelReport(page);

    // The animation starts from the broad Gaussian at the top level (most points outside the window) and ends
    // at t_min, where the points are back on the data.
    await page.getByTestId("animate").click();
    await page.locator('[data-testid=animate][data-playing="true"]').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid=animate][data-playing="false"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-testid=trajectory-samples] circle").count()).toBeGreaterThan(500);
    await page.getByTestId("learned-plot").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "playground-fitted.png"), fullPage: true });

    // A bad input (one noise level; the learner needs two) shows the library's error and keeps the results.
    const learnedBefore = await page.locator("[data-testid=learned-samples] circle").count();
    const metricsBefore = await page.getByTestId("metrics").textContent();
    await page.getByTestId("levels").fill("1");
    await fit.click();
    await page.locator('[data-testid=status][data-state="error"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("status").textContent()).toMatch(/INVALID_OPTION.*levels/);
    await page.locator('[data-testid=stale-note][data-state="error"]').waitFor();
    expect(await page.locator("[data-testid=learned-samples] circle").count()).toBe(learnedBefore);
    expect(await page.getByTestId("metrics").textContent()).toBe(metricsBefore);
    await page.screenshot({ path: join(shots, "playground-bad-input.png"), fullPage: true });
    // …and a good input afterwards fits again.
    await page.getByTestId("levels").fill("8");
    await fit.click();
    await page.locator('[data-testid=status][data-state="done"]').waitFor({ timeout: 90_000 });
    expect(await page.locator("[data-testid=stale-note]").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("playground: the learner runs in @mixdiff/score/worker — progress per level, Cancel aborts it in the worker", async () => {
    const { page, problems } = await watchedPage();
    // Count the page's Web Workers: a cancel that killed the worker (the old way) would make the page create another.
    await page.addInitScript(() => {
      const w = window as unknown as { Worker: typeof Worker; workersCreated: number };
      const Base = w.Worker;
      w.workersCreated = 0;
      w.Worker = class extends Base {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          w.workersCreated += 1;
        }
      };
    });
    const workers = () => page.evaluate(() => (window as unknown as { workersCreated: number }).workersCreated);
    await page.goto(`${site.url}/examples/playground.html`, { waitUntil: "load" });
    const fit = page.getByTestId("fit");
    await expect.poll(() => fit.isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await workers()).toBe(1);
    // 40 000 points and 40 levels: a fit of many seconds, so there is time to watch it and cancel it mid-way.
    await page.getByTestId("train-size").fill("40000");
    await page.getByTestId("levels").fill("40");
    await fit.click();
    const status = page.getByTestId("status");
    const progress = () => page.getByTestId("progress").evaluate((e) => (e as HTMLProgressElement).value);
    // progress: the label names the level, and the bar moves with the levels (the fit is 2 % … 62 % of the job)
    const level = async () => Number(/fitting: level (\d+) of \d+/.exec((await status.textContent()) ?? "")?.[1] ?? 0);
    await expect.poll(level, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const first = await level();
    const early = await progress();
    await expect.poll(level, { timeout: 60_000 }).toBeGreaterThanOrEqual(first + 2);
    const later = await progress();
    expect(early).toBeGreaterThan(0.02);
    expect(later).toBeGreaterThan(early);
    expect(later).toBeLessThan(0.62);
    // abort: the AbortSignal reaches the worker, which stops the fit and answers; the page keeps its worker
    await page.getByTestId("cancel").click();
    await expect
      .poll(
        () =>
          page
            .getByTestId("cancel-note")
            .textContent()
            .catch(() => ""),
        { timeout: 10_000 },
      )
      .toMatch(/^Cancelled: the fit stopped in the worker after level \d+ of \d+, (descent|refit)\.$/);
    expect(await status.getAttribute("data-state")).toBe("idle");
    expect(await workers()).toBe(1);
    await page.screenshot({ path: join(shots, "playground-cancelled.png") });
    // the same worker fits again, to the end
    await page.getByTestId("train-size").fill("4000");
    await page.getByTestId("levels").fill("8");
    await fit.click();
    await page.locator('[data-testid=status][data-state="done"]').waitFor({ timeout: 90_000 });
    expect(await page.locator("[data-testid=learned-samples] circle").count()).toBeGreaterThan(500);
    expect(await workers()).toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("playground: a custom mixture placed by clicking fits too", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${site.url}/examples/playground.html`, { waitUntil: "load" });
    await page.getByTestId("preset").selectOption("custom-atoms");
    const surface = page.getByTestId("draw-surface");
    await surface.waitFor();
    const before = await page.locator("[data-testid=draw-plot] [data-testid=marker]").count();
    // A click near the lower-right corner of the drawing area adds a Gaussian there (locator.click scrolls to it).
    await surface.click({ position: { x: 240, y: 240 } });
    expect(await page.locator("[data-testid=draw-plot] [data-testid=marker]").count()).toBe(before + 1);
    await fitSmall(page);
    await page.screenshot({ path: join(shots, "playground-custom.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("playground: the paper preset fits, and the page says it has no error estimate", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${site.url}/examples/playground.html`, { waitUntil: "load" });
    await page.getByTestId("learner-preset").selectOption("paper");
    await fitSmall(page);
    // every level without an estimate, the KL term not made up, the paper's constants explained as notes
    const shown = await page.locator("[data-testid=held-out-error]").allTextContents();
    expect(shown.map((s) => s.trim())).toEqual(Array(8).fill("no estimate"));
    expect(await page.getByTestId("kl-term").textContent()).toBe("not estimated");
    for (const c of await page.locator("[data-testid=level-correction]").allTextContents())
      expect(c.trim()).toMatch(/^degree 6/);
    expect(await page.locator("[data-testid=learner-note][data-kind=note]").count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator("[data-testid=learner-note][data-kind=warning]").count()).toBe(0);
    await page.screenshot({ path: join(shots, "playground-paper.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("sample-size page: a small sweep runs to completion and draws its chart", async () => {
    const { page, problems } = await watchedPage();
    await page.goto(`${site.url}/examples/sample-size.html`, { waitUntil: "load" });
    await page.getByTestId("sweep-sizes").fill("300, 600");
    const run = page.getByTestId("sweep-run");
    await expect.poll(() => run.isEnabled(), { timeout: 20_000 }).toBe(true);
    await run.click();
    await page
      .locator('[data-testid=sweep-status][data-state="done"], [data-testid=sweep-status][data-state="error"]')
      .waitFor({ timeout: 90_000 });
    const status = (await page.getByTestId("sweep-status").textContent()) ?? "";
    expect(await page.getByTestId("sweep-status").getAttribute("data-state"), status).toBe("done");
    expect(await page.locator("[data-testid=sweep-table] tbody tr").count()).toBe(2);
    expect(await page.locator("[data-testid=sweep-chart] circle").count()).toBe(6); // 3 series × 2 sizes
    await page.screenshot({ path: join(shots, "sample-size-run.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
