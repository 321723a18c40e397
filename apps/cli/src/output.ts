import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { CliError, EXIT } from "./exit-codes.js";

/** Temp files currently being written; removed on any exit path, including SIGINT/SIGTERM. */
const pendingTemps = new Set<string>();
/** Directories this run created for its outputs; removed (when still empty) if the run does not finish. */
const pendingDirs: string[] = [];
let interruptedBy: NodeJS.Signals | null = null;
let handlersInstalled = false;

/** Removes every temp file this process is writing, and the directories it created for them (synchronously). */
export function removePendingTemps(): void {
  for (const p of pendingTemps) {
    try {
      unlinkSync(p);
    } catch {
      /* already gone */
    }
  }
  pendingTemps.clear();
  for (const d of pendingDirs.splice(0).reverse()) {
    try {
      rmdirSync(d);
    } catch {
      /* not empty (an output was published) or already gone */
    }
  }
}

/**
 * Installs SIGINT/SIGTERM handlers: remove temp files, print one line, exit 130 / 143.
 * The main thread only does I/O and waits for the compute worker, so a signal is handled within one chunk of
 * work; an output is published with one synchronous link/rename, so a signal lands either before it (nothing
 * written) or after it (the file is complete), never in between.
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

let lastYield = Date.now();
/**
 * {@link checkpoint}, at most every 100 ms: call it after every chunk of main-thread work (formatting, writing) so
 * signals are handled promptly without paying the timer on every chunk.
 */
export async function yieldIfDue(): Promise<void> {
  if (Date.now() - lastYield < 100) return;
  await checkpoint();
  lastYield = Date.now();
}

/** True for the stdin/stdout placeholder `-`. */
export function isStdio(path: string): boolean {
  return path === "-";
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/**
 * Follows a chain of symbolic links from `abs` to the path that holds (or will hold) the content: `--force` writes
 * through a symlink to its target instead of replacing the link.
 */
function finalTarget(abs: string, path: string, flag: string): string {
  let p = abs;
  for (let hops = 0; hops < 40; hops++) {
    const st = lstatOrNull(p);
    if (!st?.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new CliError("input", `${flag} ${path}: too many levels of symbolic links`);
}

/**
 * Checks, before any work, that `path` can be written: refuses an existing file (or symlink, even a dangling one)
 * without `force` (usage error), a directory, and a missing destination directory (input error). `-` (stdout) is
 * always fine. {@link OutputFile} also creates its temp file up front, which proves the directory is writable.
 */
export function checkWritable(path: string, force: boolean, flag = "--out"): void {
  if (isStdio(path)) return;
  const abs = resolve(path);
  const target = force ? finalTarget(abs, path, flag) : abs;
  const dir = dirname(target);
  const dst = lstatOrNull(dir);
  if (!dst || !statSync(dir).isDirectory()) {
    throw new CliError("input", `${flag} ${path}: directory ${dir} does not exist`);
  }
  const st = lstatOrNull(target);
  if (st) {
    if (st.isDirectory()) throw new CliError("usage", `${flag} ${path}: is a directory`);
    if (!force) throw new CliError("usage", `${flag} ${path}: file exists; pass --force to overwrite it`);
  }
}

/**
 * Creates `dir` and any missing parents (one level at a time, so a path under /proc or /sys fails instead of
 * looping), registering each created level for removal if the run does not finish. Failures are input errors
 * (exit 3) naming the directory and the system error.
 */
export function ensureDirectory(dir: string, flag = "--out"): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  while (!lstatOrNull(p)) {
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  if (missing.length === 0 && !statSync(abs).isDirectory()) {
    throw new CliError("usage", `${flag} ${dir}: exists and is not a directory`);
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
      pendingDirs.push(d);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new CliError("input", `${flag} ${dir}: cannot create directory ${d}: ${err.code ?? ""} ${err.message}`);
    }
  }
}

/** The directories created by {@link ensureDirectory} now hold published outputs: keep them. */
export function keepDirectories(): void {
  pendingDirs.length = 0;
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

function writeAll(fd: number, content: string | Uint8Array): void {
  const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** Errors that mean "this file system cannot make hard links": publish by exclusive create + rename instead. */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EMLINK", "EACCES"]);

/**
 * An output file, published atomically. The constructor checks the destination and creates the temp file in
 * its directory at once (exclusive create, registered for removal on SIGINT/SIGTERM and on any failure), so an
 * unwritable destination is reported before any work. `write` appends; `commit` fsyncs and publishes:
 * - without `force`, by a hard link to the final name, which fails if the name exists: of concurrent writers
 *   exactly one wins and the others get the usage error "file exists" (no check-then-rename race);
 * - with `force`, by a rename over the target, after giving the temp file the mode (and, for root, the owner) of
 *   the file it replaces; a symlink is followed and its target replaced, the link itself is kept; a destination
 *   that is not a regular file (`/dev/null`, a FIFO) is written directly.
 * `-` writes to stdout. Memory stays O(chunk) however large the output.
 *
 * @example
 * ```ts
 * const out = new OutputFile("samples.csv", { force: false }); // temp file created now
 * out.write("x1,x2\n");
 * out.write("1,2\n");
 * out.commit(); // samples.csv appears complete, or "file exists" if another run created it meanwhile
 * ```
 */
export class OutputFile {
  private fd: number | null = null;
  private tmp: string | null = null;
  private readonly abs: string | null;
  private readonly target: string | null;
  private readonly force: boolean;
  private readonly flag: string;
  private direct = false;

  constructor(
    private readonly path: string,
    opts: { force: boolean; flag?: string },
  ) {
    this.force = opts.force;
    this.flag = opts.flag ?? "--out";
    if (isStdio(path)) {
      this.abs = null;
      this.target = null;
      return;
    }
    checkWritable(path, opts.force, this.flag);
    this.abs = resolve(path);
    this.target = opts.force ? finalTarget(this.abs, path, this.flag) : this.abs;
    const existing = opts.force ? lstatOrNull(this.target) : null;
    try {
      if (existing && !existing.isFile()) {
        // a device, FIFO or socket (`--out /dev/null --force`): no temp file, no rename over it
        this.direct = true;
        this.fd = openSync(this.target, "w");
        return;
      }
      removeStaleTemps(this.target);
      this.tmp = tempPathFor(this.target);
      pendingTemps.add(this.tmp);
      this.fd = openSync(this.tmp, "wx", 0o666);
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): never {
    this.abort();
    if (e instanceof CliError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new CliError(
      "input",
      `cannot write ${this.path}: ${err.code ?? ""} ${err.message}`.replace(/\s+/g, " ").trim(),
    );
  }

  /** Appends text or bytes. */
  write(content: string | Uint8Array): void {
    if (this.abs === null) {
      writeStdout(content);
      return;
    }
    try {
      writeAll(this.fd as number, content);
    } catch (e) {
      this.fail(e);
    }
  }

  /** fsync + publish: the destination now holds the complete output. */
  commit(): void {
    if (this.abs === null || this.target === null) return;
    const fd = this.fd as number;
    try {
      if (this.direct) {
        closeSync(fd);
        this.fd = null;
        return;
      }
      fsyncSync(fd);
      const tmp = this.tmp as string;
      if (this.force) {
        const old = lstatOrNull(this.target);
        if (old?.isFile()) {
          fchmodSync(fd, old.mode & 0o7777); // keep the mode of the file being replaced (0600 stays 0600)
          if (process.getuid?.() === 0) {
            try {
              fchownSync(fd, old.uid, old.gid);
            } catch {
              /* best effort */
            }
          }
        }
        closeSync(fd);
        this.fd = null;
        renameSync(tmp, this.target);
      } else {
        closeSync(fd);
        this.fd = null;
        this.publishExclusive(tmp, this.abs);
      }
      pendingTemps.delete(tmp);
      this.tmp = null;
    } catch (e) {
      this.fail(e);
    }
  }

  /** Gives the temp file its final name only if that name does not exist (a link, or an exclusive create). */
  private publishExclusive(tmp: string, abs: string): void {
    const exists = () =>
      new CliError(
        "usage",
        `${this.flag} ${this.path}: file exists (created while this command ran); pass --force to overwrite it`,
      );
    try {
      linkSync(tmp, abs);
      unlinkSync(tmp);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (code === "EEXIST") throw exists();
      if (!NO_LINKS.has(code)) throw e;
    }
    // no hard links here (e.g. some network or FAT file systems): claim the name exclusively, then rename onto it
    let claim: number;
    try {
      claim = openSync(abs, "wx", 0o666);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") throw exists();
      throw e;
    }
    closeSync(claim);
    renameSync(tmp, abs);
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

/**
 * Writes `content` to `path` atomically (an {@link OutputFile} written and committed at once). `-` writes to
 * stdout. An existing destination is refused without `force`; with `force` the old file survives any failure
 * before the rename and its mode is kept.
 */
export function writeOutput(path: string, content: string | Uint8Array, opts: { force: boolean; flag?: string }): void {
  const out = new OutputFile(path, opts);
  out.write(content);
  out.commit();
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
