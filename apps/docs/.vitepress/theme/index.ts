import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import BenchmarkTable from "./components/BenchmarkTable.vue";
import MixdiffPlayground from "./components/MixdiffPlayground.vue";
import SampleSize from "./components/SampleSize.vue";
import "./custom.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("MixdiffPlayground", MixdiffPlayground);
    app.component("SampleSize", SampleSize);
    app.component("BenchmarkTable", BenchmarkTable);
  },
} satisfies Theme;
