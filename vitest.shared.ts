import { defineConfig } from "vitest/config";

/** Shared vitest config: tests read workspace packages from src/ through the `@mixdiff/source` condition. */
export function packageTestConfig(extra: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: ["@mixdiff/source", "module", "node", "import", "default"] },
    ssr: {
      resolve: {
        conditions: ["@mixdiff/source", "module", "node", "import", "default"],
        externalConditions: ["@mixdiff/source"],
      },
    },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: extra.testTimeout ?? 60_000,
      pool: "forks",
    },
  });
}
