import { defineConfig } from "vitepress";

export default defineConfig({
  title: "mixdiff",
  description: "Diffusion models you can understand, reproduce and trust.",
});
