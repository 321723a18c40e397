/**
 * Ready-made values for the TSDoc `@example` blocks (the examples harness in apps/integration/examples imports the
 * ones an example uses but does not define). The other packages' contexts take their data law from here.
 */
import { gaussianMixture } from "./src/index";

/** The data law of the examples: three unit-variance atoms at (−4, 0), (4, 0), (0, 5). */
export const distribution = gaussianMixture({
  means: [
    [-4, 0],
    [4, 0],
    [0, 5],
  ],
  weights: [0.4, 0.35, 0.25],
});
