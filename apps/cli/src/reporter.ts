import cliProgress from "cli-progress";

/** Messages and progress on stderr; silent with `--quiet`. stdout is reserved for data and `--json`. */
export class Reporter {
  private bar: cliProgress.SingleBar | null = null;
  private lastPlain = 0;
  constructor(
    readonly quiet: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** One line on stderr (unless quiet). */
  info(line: string): void {
    if (!this.quiet) this.stream.write(`${line}\n`);
  }

  /** A warning: always printed (even with --quiet), prefixed. */
  warn(line: string): void {
    this.stream.write(`mixdiff: warning: ${line}\n`);
  }

  /**
   * Starts a progress bar of `total` steps. On a terminal, a cli-progress bar with ETA; otherwise one
   * plain line per update (at most every 200 ms, always for the last step), so logs stay readable.
   */
  start(label: string, total: number, unit: string): void {
    if (this.quiet) return;
    this.lastPlain = 0;
    if (this.stream.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${label} |{bar}| ${unit} {value}/{total} {detail} | ETA {eta_formatted}`,
          stream: this.stream,
          hideCursor: true,
          gracefulExit: false,
          etaBuffer: 5,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { detail: "" });
    } else {
      this.plainLabel = label;
      this.plainUnit = unit;
      this.plainTotal = total;
      this.t0 = Date.now();
    }
  }
  private plainLabel = "";
  private plainUnit = "";
  private plainTotal = 0;
  private t0 = 0;

  /** Moves the bar to `value` with a short detail text. */
  update(value: number, detail: string): void {
    if (this.quiet) return;
    if (this.bar) {
      this.bar.update(value, { detail });
      return;
    }
    const now = Date.now();
    if (value < this.plainTotal && now - this.lastPlain < 200) return;
    this.lastPlain = now;
    const elapsed = (now - this.t0) / 1000;
    const eta =
      value > 0 && value < this.plainTotal ? ` ETA ${Math.round((elapsed / value) * (this.plainTotal - value))} s` : "";
    this.stream.write(`${this.plainLabel}: ${this.plainUnit} ${value}/${this.plainTotal} ${detail}${eta}\n`);
  }

  /** Stops the bar (leaves the last state on screen). */
  stop(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }
}
