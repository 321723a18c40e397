import { packageTestConfig } from "../../vitest.shared";

// The contributor guide's walk-through (test/contributor-walkthrough.slow.ts): its own run, a step of the root
// `pnpm test` (`node scripts/test-all.mjs walkthrough`).
const config = packageTestConfig({ testTimeout: 180_000 });
export default {
  ...config,
  test: { ...config.test, include: ["test/contributor-walkthrough.slow.ts"], hookTimeout: 300_000 },
};
