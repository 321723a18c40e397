import { Command } from "commander";

const program = new Command("mixdiff");
program.description("Learn distributions with diffusion models (Gatmiry-Kelner-Lee, COLT 2025).");
program.command("demo").description("Run the main job on an embedded 2-D mixture.").action(() => {
  process.stdout.write("mixdiff demo: not yet implemented\n");
});
program.parseAsync(process.argv);
