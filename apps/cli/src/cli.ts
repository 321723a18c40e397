import { CommanderError } from "commander";
import { describeError, EXIT } from "./exit-codes.js";
import { installSignalHandlers, removePendingTemps } from "./output.js";
import { createProgram } from "./program.js";

/** Entry point of the `mixdiff` bin: run the program, map every failure to one stderr line and an exit code. */
async function main(argv: readonly string[]): Promise<number> {
  installSignalHandlers();
  if (process.env.MIXDIFF_REPORT_RSS) {
    // for the memory-ceiling test: peak resident set size, in KiB, as the last stderr line
    process.on("exit", () => process.stderr.write(`mixdiff: max-rss-kib ${process.resourceUsage().maxRSS}\n`));
  }
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.ok);
  });
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (e) {
    removePendingTemps();
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") return EXIT.ok;
      if (e.code === "commander.help") return EXIT.usage; // no command given: help went to stderr
      const msg = e.message.replace(/^error: /, "");
      process.stderr.write(`mixdiff: usage error: ${msg} (run with --help for usage)\n`);
      return EXIT.usage;
    }
    const d = describeError(e);
    process.stderr.write(`mixdiff: ${d.message}\n`);
    if (d.internal && process.env.MIXDIFF_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return d.exitCode;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
