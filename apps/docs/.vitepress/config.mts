import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DefaultTheme, defineConfig } from "vitepress";
// @ts-expect-error plain .mjs module without types
import { TASKS } from "../api-tasks.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The TypeDoc sidebar (written by `typedoc` into api/); empty until the API reference is generated. */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = `${root}api/typedoc-sidebar.json`;
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, "utf8")) as DefaultTheme.SidebarItem[];
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: "Guide",
    items: [
      { text: "What mixdiff does", link: "/guide/" },
      { text: "Install and quick start", link: "/guide/getting-started" },
      { text: "The method", link: "/guide/method" },
      { text: "Choosing options", link: "/guide/options" },
      { text: "Reading the metrics", link: "/guide/metrics" },
      { text: "Reproducibility and errors", link: "/guide/reproducibility" },
    ],
  },
  {
    text: "Live examples",
    items: [
      { text: "Playground (2-D)", link: "/examples/playground" },
      { text: "Quality vs sample size", link: "/examples/sample-size" },
    ],
  },
  {
    text: "Reference",
    items: [
      { text: "API (TypeDoc)", link: "/api/" },
      { text: "CLI", link: "/cli/reference" },
      { text: "Benchmarks", link: "/benchmarks" },
    ],
  },
  { text: "Contributing", items: [{ text: "Extending mixdiff", link: "/contributing/" }] },
];

export default defineConfig({
  title: "mixdiff",
  description: "Learn a distribution from samples with a diffusion model you can understand, reproduce and trust.",
  lang: "en-GB",
  // This folder's README.md describes the docs app for contributors; it is not a page of the site.
  srcExclude: ["README.md"],
  head: [["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }]],
  lastUpdated: false,
  markdown: { math: false },
  themeConfig: {
    nav: [
      { text: "Guide", link: "/guide/" },
      { text: "Playground", link: "/examples/playground" },
      { text: "API", link: "/api/" },
      { text: "CLI", link: "/cli/reference" },
      { text: "Benchmarks", link: "/benchmarks" },
    ],
    sidebar: {
      "/guide/": guide,
      "/examples/": guide,
      "/contributing/": guide,
      "/cli/": guide,
      "/benchmarks": guide,
      "/api/": [
        {
          text: "API by task",
          items: (TASKS as { id: string; title: string }[]).map((t) => ({ text: t.title, link: `/api/#${t.id}` })),
        },
        { text: "Packages", items: apiSidebar() },
      ],
    },
    search: { provider: "local" },
    outline: { level: [2, 3] },
    footer: {
      message:
        "Implements Gatmiry, Kelner & Lee, “Learning Mixtures of Gaussians Using Diffusion Models”, COLT 2025 (arXiv 2404.18869).",
    },
  },
  vite: {
    worker: { format: "es" },
    // The site imports the workspace packages' built dist (the `import` condition), not their src.
    build: { chunkSizeWarningLimit: 2000 },
  },
});
