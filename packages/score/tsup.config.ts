import { libraryConfig } from "../../tsup.config.base";

export default libraryConfig({
  index: "src/index.ts",
  "node/index": "src/node/index.ts",
  "node/fit-worker": "src/node/fit-worker.ts",
  "worker/index": "src/worker/index.ts",
});
