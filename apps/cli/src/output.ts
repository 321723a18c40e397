import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { CliError, EXIT } from "./exit-codes.js";

/** Temp files currently being written; removed on any exit path, including SIGINT/SIGTERM. */
const pendingTemps = new Set<string>();
let interruptedBy: NodeJS.Signals | null = null;
let handlersInstalled = false;

/** Removes every temp file this process is writing (synchronously; safe inside signal and exit handlers). */
export function removePendingTemps(): void {
  for (const p of pendingTemps) {
    try {
      unlinkSync(p);
    } catch {
      /* already gone */
    }
  }
  pendingTemps.clear();
}

/**
 * Installs SIGINT/SIGTERM handlers: remove temp files, print one line, exit 130 / 143.
 * Writes are synchronous (temp file, fsync, rename), so a signal is handled either before a write
 * starts (nothing written) or after the rename (the file is complete); never in between.
 */
export function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (sig: NodeJS.Signals) => {
    interruptedBy = sig;
    removePendingTemps();
    process.stderr.write(`\nmixdiff: interrupted by ${sig}; no output was written\n`);
    process.exit(sig === "SIGINT" ? EXIT.interrupted : EXIT.terminated);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", removePendingTemps);
}

/** The signal that interrupted this run, if any (for tests and diagnostics). */
export function interruptedSignal(): NodeJS.Signals | null {
  return interruptedBy;
}

/**
 * Lets pending signals be delivered (a short timer, then one event-loop turn). Call it between a long synchronous
 * computation and the write, so a Ctrl-C pressed during the computation cancels the write.
 */
export function checkpoint(): Promise<void> {
  // A timer, not setImmediate: with only an immediate pending, libuv polls without waiting and a
  // signal that arrived during synchronous work is not yet delivered (measured on Node 20).
  return new Promise((r) => setTimeout(r, 10)).then(() => new Promise<void>((r) => setImmediate(r)));
}

/** True for the stdin/stdout placeholder `-`. */
export function isStdio(path: string): boolean {
  return path === "-";
}

/**
 * Checks, before any work, that `path` can be written: refuses an existing file without `force`
 * (usage error) and a missing destination directory (input error). `-` (stdout) is always fine.
 */
export function checkWritable(path: string, force: boolean, flag = "--out"): void {
  if (isStdio(path)) return;
  const abs = resolve(path);
  const dir = dirname(abs);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError("input", `${flag} ${path}: directory ${dir} does not exist`);
  }
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) throw new CliError("usage", `${flag} ${path}: is a directory`);
    if (!force) throw new CliError("usage", `${flag} ${path}: file exists; pass --force to overwrite it`);
  }
}

/** Temp name in the destination's directory: `.<name>.mixdiff-tmp-<pid>-<random>`. */
function tempPathFor(abs: string): string {
  return join(dirname(abs), `.${basename(abs)}.mixdiff-tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * Removes stale temp files left by a crashed run (SIGKILL, power loss) for this destination.
 * Only files whose writer process is gone are removed.
 */
function removeStaleTemps(abs: string): void {
  const dir = dirname(abs);
  const prefix = `.${basename(abs)}.mixdiff-tmp-`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const pid = Number(n.slice(prefix.length).split("-")[0]);
    let alive = false;
    try {
      if (Number.isInteger(pid) && pid > 0) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (!alive) {
      try {
        unlinkSync(join(dir, n));
      } catch {
        /* ignore */
      }
    }
  }
}

/**
 * Writes `content` to `path` atomically: a temp file in the same directory, fsync, rename.
 * `-` writes to stdout. An existing destination is refused without `force` (checked again here);
 * with `force` the old file survives any failure before the rename. On failure the temp file is removed
 * and a `CliError("input")` names the path and the system error.
 */
export function writeOutput(path: string, content: string | Uint8Array, opts: { force: boolean; flag?: string }): void {
  if (isStdio(path)) {
    writeStdout(content);
    return;
  }
  checkWritable(path, opts.force, opts.flag);
  const abs = resolve(path);
  removeStaleTemps(abs);
  const tmp = tempPathFor(abs);
  pendingTemps.add(tmp);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, "wx", 0o644);
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, abs);
    pendingTemps.delete(tmp);
  } catch (e) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        /* ignore */
      }
    }
    removePendingTemps();
    const err = e as NodeJS.ErrnoException;
    throw new CliError("input", `cannot write ${path}: ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " ").trim());
  }
}

/** Writes to stdout synchronously; a closed pipe (`| head`) ends the process quietly with exit 0. */
export function writeStdout(content: string | Uint8Array): void {
  try {
    const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(1, buf, off, buf.length - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") continue;
        throw e;
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EPIPE") process.exit(EXIT.ok);
    throw e;
  }
}

/**
 * An output written in pieces but published atomically: chunks go to a temp file in the destination's
 * directory (registered for removal on SIGINT/SIGTERM), `commit()` fsyncs and renames, `abort()` removes the
 * temp file. For `-` the chunks go straight to stdout. Memory stays O(chunk) however large the output.
 */
export class OutputStream {
  private fd: number | null = null;
  private tmp: string | null = null;
  private readonly abs: string | null;
  constructor(
    private readonly path: string,
    opts: { force: boolean; flag?: string },
  ) {
    if (isStdio(path)) {
      this.abs = null;
      return;
    }
    checkWritable(path, opts.force, opts.flag);
    this.abs = resolve(path);
    removeStaleTemps(this.abs);
    this.tmp = tempPathFor(this.abs);
    pendingTemps.add(this.tmp);
    try {
      this.fd = openSync(this.tmp, "wx", 0o644);
    } catch (e) {
      this.fail(e);
    }
  }
  private fail(e: unknown): never {
    this.abort();
    const err = e as NodeJS.ErrnoException;
    throw new CliError(
      "input",
      `cannot write ${this.path}: ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " ").trim(),
    );
  }
  /** Appends text. */
  write(text: string): void {
    if (this.abs === null) {
      writeStdout(text);
      return;
    }
    try {
      const buf = Buffer.from(text, "utf8");
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd!, buf, off, buf.length - off);
    } catch (e) {
      this.fail(e);
    }
  }
  /** fsync + rename: the destination now holds the complete output. */
  commit(): void {
    if (this.abs === null) return;
    try {
      fsyncSync(this.fd!);
      closeSync(this.fd!);
      this.fd = null;
      renameSync(this.tmp!, this.abs);
      pendingTemps.delete(this.tmp!);
      this.tmp = null;
    } catch (e) {
      this.fail(e);
    }
  }
  /** Removes the temp file; the destination is untouched. */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        /* ignore */
      }
      this.fd = null;
    }
    if (this.tmp !== null) {
      try {
        unlinkSync(this.tmp);
      } catch {
        /* ignore */
      }
      pendingTemps.delete(this.tmp);
      this.tmp = null;
    }
  }
}
