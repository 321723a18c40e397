import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError, EXIT } from "./exit-codes.js";
import { checkWritable, ensureDirectory, OutputFile, removePendingTemps, writeOutput } from "./output.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mixdiff-out-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("writeOutput", () => {
  it("writes atomically and leaves no temp file", () => {
    writeOutput(join(dir, "a.csv"), "1,2\n", { force: false });
    expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe("1,2\n");
    expect(readdirSync(dir)).toEqual(["a.csv"]);
  });

  it("refuses to overwrite without force (usage error) and overwrites with force", () => {
    writeFileSync(join(dir, "a.csv"), "old");
    let err: unknown;
    try {
      writeOutput(join(dir, "a.csv"), "new", { force: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.usage);
    expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe("old");
    writeOutput(join(dir, "a.csv"), "new", { force: true });
    expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe("new");
  });

  it("a failure before the rename leaves the old file and no temp file", () => {
    // the destination is a directory: rename fails after the temp file was written
    const target = join(dir, "sub");
    writeFileSync(join(dir, "keep"), "x");
    expect(() => checkWritable(target, true)).not.toThrow();
    // make `target` a non-empty directory after the check, so renameSync fails (EISDIR/ENOTEMPTY)
    mkdirSync(target);
    writeFileSync(join(target, "f"), "y");
    expect(() => writeOutput(target, "data", { force: true })).toThrow(/is a directory|cannot write/);
    expect(readdirSync(dir).filter((f) => f.includes("mixdiff-tmp"))).toEqual([]);
    expect(existsSync(join(target, "f"))).toBe(true);
  });

  it("a missing directory is an input error", () => {
    expect(() => checkWritable(join(dir, "nope", "a.csv"), false)).toThrow(/does not exist/);
  });
});

describe("OutputFile", () => {
  it("publishes the chunks only on commit; abort leaves the old file and no temp file", () => {
    const target = join(dir, "s.csv");
    writeFileSync(target, "old\n");
    const a = new OutputFile(target, { force: true });
    a.write("1,2\n");
    expect(readFileSync(target, "utf8")).toBe("old\n");
    a.abort();
    expect(readFileSync(target, "utf8")).toBe("old\n");
    expect(readdirSync(dir)).toEqual(["s.csv"]);
    const b = new OutputFile(target, { force: true });
    b.write("1,2\n");
    b.write("3,4\n");
    b.commit();
    expect(readFileSync(target, "utf8")).toBe("1,2\n3,4\n");
    expect(readdirSync(dir)).toEqual(["s.csv"]);
  });
  it("refuses an existing file without force before creating anything", () => {
    writeFileSync(join(dir, "t.csv"), "x");
    expect(() => new OutputFile(join(dir, "t.csv"), { force: false })).toThrow(/pass --force/);
    expect(readdirSync(dir)).toEqual(["t.csv"]);
  });
});

function thrown(f: () => unknown): CliError {
  try {
    f();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error("expected a CliError");
}

describe("OutputFile: races, modes, symlinks, unwritable places (issue 18 items 4, 7, 11)", () => {
  it("a destination created by someone else after the check is not overwritten: exclusive publish, usage error", () => {
    const target = join(dir, "race.csv");
    const mine = new OutputFile(target, { force: false }); // the early check passes: nothing there yet
    mine.write("mine\n");
    writeFileSync(target, "theirs\n"); // a concurrent run publishes first
    const e = thrown(() => mine.commit());
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(/file exists \(created while this command ran\); pass --force/);
    expect(readFileSync(target, "utf8")).toBe("theirs\n");
    expect(readdirSync(dir)).toEqual(["race.csv"]);
  });
  it("--force keeps the mode of the file it replaces (0600 stays 0600); a new file gets the umask default", () => {
    const target = join(dir, "secret.json");
    writeFileSync(target, "old");
    chmodSync(target, 0o600);
    writeOutput(target, "new", { force: true });
    expect(readFileSync(target, "utf8")).toBe("new");
    expect(statSync(target).mode & 0o777).toBe(0o600);
    writeOutput(join(dir, "fresh.json"), "x", { force: false });
    expect(statSync(join(dir, "fresh.json")).mode & 0o777).toBe(0o666 & ~process.umask());
  });
  it("--force writes through a symlink to its target and keeps the link", () => {
    mkdirSync(join(dir, "real"));
    const real = join(dir, "real", "model.json");
    writeFileSync(real, "old");
    chmodSync(real, 0o640);
    const link = join(dir, "model.json");
    symlinkSync(real, link);
    writeOutput(link, "new", { force: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, "utf8")).toBe("new");
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(dir, "real"))).toEqual(["model.json"]);
    // without --force a symlink (even a dangling one) is an existing output
    symlinkSync(join(dir, "nowhere"), join(dir, "dangling.json"));
    expect(thrown(() => new OutputFile(join(dir, "dangling.json"), { force: false })).exitCode).toBe(EXIT.usage);
  });
  it("an unwritable destination directory is an input error at construction, before any work", () => {
    // /sys refuses new files even for root (a read-only directory cannot be simulated as root)
    const e = thrown(() => new OutputFile("/sys/kernel/mixdiff-model.json", { force: false }));
    expect(e.exitCode).toBe(EXIT.input);
    expect(e.message).toMatch(/^cannot write \/sys\/kernel\/mixdiff-model\.json: E(ACCES|PERM|ROFS)/);
  });
  it("ensureDirectory creates missing levels, refuses an uncreatable one (no mkdir -p loop), and a failed run removes them", () => {
    ensureDirectory(join(dir, "a", "b"));
    expect(statSync(join(dir, "a", "b")).isDirectory()).toBe(true);
    removePendingTemps(); // what an interrupted or failed run does
    expect(existsSync(join(dir, "a"))).toBe(false);
    const e = thrown(() => ensureDirectory("/sys/kernel/mixdiff-demo/x"));
    expect(e.exitCode).toBe(EXIT.input);
    expect(e.message).toMatch(/cannot create directory \/sys\/kernel\/mixdiff-demo/);
  });
});
