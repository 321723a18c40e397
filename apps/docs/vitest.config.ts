import { packageTestConfig } from "../../vitest.shared";

// Snippet tests read the workspace packages from src/ (the `@mixdiff/source` condition): no build needed.
export default packageTestConfig({ testTimeout: 60_000 });
