import { defineConfig } from "tsup";

// The CLI is one self-contained ESM file. Workspace packages are bundled from their TypeScript
// sources (the `@mixdiff/source` export condition), so `dist/cli.js` does not depend on the
// libraries having been built, and the benchmark files under packages/*/bench can be imported
// by relative path. Third-party dependencies of the CLI itself stay external.
export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  dts: false,
  noExternal: [/^@mixdiff\//],
  esbuildOptions(options) {
    options.conditions = ["@mixdiff/source", "module", "import", "default"];
  },
});
