import { defineConfig, mergeConfig } from "vitest/config";
import { packageTestConfig } from "../../vitest.shared";

// Unit tests import src/ directly; the subprocess tests in test/ run dist/cli.js, which the global
// setup builds first (tsup bundles the workspace packages from source), so `vitest run` alone works.
export default mergeConfig(
  packageTestConfig({ testTimeout: 180_000 }),
  defineConfig({ test: { globalSetup: ["./test/build-once.ts"] } }),
);
