// Runs scripts/quality.ts through vitest (no tsx/vite-node in the toolchain):
//   QUALITY_N=20000 QUALITY_CASES=gmm2d,circle2d QUALITY_OPTS='{"noiseDraws":8}' npx vitest run --config scripts/quality.config.ts
import { defineConfig } from "vitest/config";
import { packageTestConfig } from "../../../vitest.shared";

const base = packageTestConfig({ testTimeout: 3_600_000 });
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["scripts/quality.ts"],
    reporters: ["dot"],
    silent: false,
    disableConsoleIntercept: true,
  },
});
