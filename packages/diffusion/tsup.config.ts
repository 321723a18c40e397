import { libraryConfig } from "../../tsup.config.base";

export default libraryConfig({
  index: "src/index.ts",
  "node/index": "src/node/index.ts",
  "node/worker": "src/node/worker.ts",
});
