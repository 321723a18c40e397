import { packageTestConfig } from "../../vitest.shared";

// The executable-documentation harness (examples/examples.test.ts): its own run, a step of the root `pnpm test`.
const config = packageTestConfig({ testTimeout: 120_000 });
export default { ...config, test: { ...config.test, include: ["examples/**/*.test.ts"] } };
