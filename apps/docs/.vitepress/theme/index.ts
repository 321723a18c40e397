import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import { h } from "vue";
import HomeFigure from "./components/HomeFigure.vue";
import MixdiffPlayground from "./components/MixdiffPlayground.vue";
import SampleSize from "./components/SampleSize.vue";
import "./custom.css";

export default {
  extends: DefaultTheme,
  // The home page's picture of what the library does sits right under the hero.
  Layout: () => h(DefaultTheme.Layout, null, { "home-hero-after": () => h(HomeFigure) }),
  enhanceApp({ app }) {
    app.component("MixdiffPlayground", MixdiffPlayground);
    app.component("SampleSize", SampleSize);
  },
} satisfies Theme;
