// A TypeDoc plugin: writes the API reference's index page (api/index.md) by task — fit, sample, measure, then the
// building blocks — from the exported functions and constants of every package (api-tasks.mjs says where each
// goes), with a one-line summary from its TSDoc and a link to its page; and orders each package page's functions and
// constants the same way (the task's lead names first, then alphabetically).
import { ReflectionKind, RendererEvent } from "typedoc";
import { MarkdownPageEvent } from "typedoc-plugin-markdown";
import { leadRank, pageRank, placeByTask, TASKS } from "./api-tasks.mjs";

/** The first sentence of a TSDoc summary, on one line. */
function firstSentence(parts) {
  const text = (parts ?? [])
    .map((p) => (p.kind === "inline-tag" ? `\`${p.text}\`` : p.text))
    .join("")
    .split(/\n\s*\n/)[0]
    .replace(/\s+/g, " ")
    .trim();
  // Cut at the first full stop outside `code` and brackets; very long first sentences are shortened.
  let depth = 0;
  let code = false;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "`") code = !code;
    else if (!code && (c === "(" || c === "[")) depth++;
    else if (!code && (c === ")" || c === "]")) depth = Math.max(0, depth - 1);
    else if (!code && depth === 0 && c === "." && (i + 1 === text.length || text[i + 1] === " ")) {
      end = i;
      break;
    }
  }
  let sentence = text.slice(0, end).replace(/[:;,]$/, "");
  if (sentence.length > 170) {
    // shorten at a space outside `code`
    let cut = 160;
    while (cut > 60 && (sentence[cut] !== " " || (sentence.slice(0, cut).split("`").length - 1) % 2 === 1)) cut--;
    sentence = `${sentence.slice(0, cut)} …`;
  }
  return sentence;
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.on(RendererEvent.BEGIN, (event) => {
    for (const mod of event.project.children ?? []) {
      const rank = (r) => pageRank(mod.name, r.name);
      for (const group of mod.groups ?? []) {
        group.children.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, "en", { sensitivity: "base" }));
      }
    }
  });
  app.renderer.on(
    MarkdownPageEvent.END,
    (page) => {
      if (page.url !== "index.md") return;
      const project = page.project;
      const router = app.renderer.router;
      const items = [];
      for (const mod of project.children ?? []) {
        for (const refl of mod.children ?? []) {
          if (!refl.kindOf(ReflectionKind.Function | ReflectionKind.Variable | ReflectionKind.Class)) continue;
          items.push({ pkg: mod.name, name: refl.name, refl });
        }
      }
      const placed = placeByTask(items);
      const md = [
        "---",
        "aside: false",
        "pageClass: mixdiff-wide api-index",
        "---",
        "",
        "# API reference",
        "",
        "Every exported function, class and constant of the mixdiff packages, by what you want to do: the usual entry",
        "points first, then the rest of the task's functions, then its constants. Each name links to its own page; a",
        "package's page lists its functions first, then its constants, classes, interfaces and types. Every package",
        "runs in Node and in the browser: `npm install @mixdiff/<name>`.",
        "",
      ];
      const kindRank = (r) => (r.kindOf(ReflectionKind.Variable) ? 1 : 0);
      for (const task of TASKS) {
        md.push(`## ${task.title} {#${task.id}}`, "", task.intro, "");
        const list = placed.get(task.id);
        const lead = list.filter((it) => leadRank(it.name) < Number.POSITIVE_INFINITY);
        const rest = list.filter((it) => !lead.includes(it)).sort((a, b) => kindRank(a.refl) - kindRank(b.refl));
        for (const { pkg, name, refl } of [...lead, ...rest]) {
          const url = router.relativeUrl(project, refl);
          const label = refl.kindOf(ReflectionKind.Function) ? `${name}()` : name;
          const summary = firstSentence(refl.signatures?.[0]?.comment?.summary ?? refl.comment?.summary);
          md.push(`- [\`${label}\`](${url}) <small>${pkg}</small> — ${summary}`);
        }
        md.push("");
      }
      md.push("## Packages {#packages}", "");
      for (const mod of project.children ?? []) {
        md.push(`- [\`${mod.name}\`](${router.relativeUrl(project, mod)}) — ${firstSentence(mod.comment?.summary)}`);
      }
      page.contents = `${md.join("\n")}\n`;
    },
    100, // before typedoc-vitepress-theme's own END listener, which then normalises the links' anchors
  );
}
