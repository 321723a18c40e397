/**
 * End-to-end tests of the built site in Debian's Chromium (playwright-core, no downloaded browser):
 * every page loads without a console error, a failed request or an HTTP error; the playground fits a
 * model to completion in its Web Worker and shows learned samples and metrics. Screenshots go to
 * test-results/ (gitignored). Needs `pnpm docs:build` first (turbo's e2e task depends on build).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
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
    // The API reference covers every package.
    for (const pkg of ["core", "schedules", "mixtures", "polyreg", "score", "diffusion", "metrics"]) {
      expect(all, pkg).toContain(`/api/@mixdiff/${pkg}.html`);
    }
    // Generated references carry their content: the CLI's commands, the learner's entry points.
    const html = (p: string) => readFileSync(join(dist, p), "utf8");
    for (const c of ["generate", "fit", "sample", "evaluate", "demo"])
      expect(html("cli/reference.html")).toContain(`mixdiff ${c}`);
    for (const f of ["fitScore", "exactScoreModel", "loadScoreModel"])
      expect(html("api/@mixdiff/score.html")).toContain(f);
    expect(html("api/@mixdiff/diffusion.html")).toContain("exponentialIntegrator");
  });

  test("every page loads without console errors or failed requests", async () => {
    const { page, problems } = await watchedPage();
    const all = pages();
    // Screenshots of the non-API pages (full length for the examples) and of one API page; every page is visited.
    const screenshot = (p: string) => !p.startsWith("/api/") || p === "/api/@mixdiff/score.html";
    for (const p of all) {
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
    expect(await page.locator("[data-testid=levels] tbody tr").count()).toBeGreaterThan(1);
    expect(await page.getByTestId("kl-term").textContent()).toMatch(/\d/);

    // The animation starts from the broad Gaussian at the top level (most points outside the window) and ends
    // at t_min, where the points are back on the data.
    await page.getByTestId("animate").click();
    await page.locator('[data-testid=animate][data-playing="true"]').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid=animate][data-playing="false"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("[data-testid=trajectory-samples] circle").count()).toBeGreaterThan(500);
    await page.getByTestId("learned-plot").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "playground-fitted.png"), fullPage: true });
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
    await page.screenshot({ path: join(shots, "playground-custom.png"), fullPage: true });
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
