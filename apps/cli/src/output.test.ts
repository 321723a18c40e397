import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError, EXIT } from "./exit-codes.js";
import { checkWritable, OutputStream, writeOutput } from "./output.js";

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

describe("OutputStream", () => {
  it("publishes the chunks only on commit; abort leaves the old file and no temp file", () => {
    const target = join(dir, "s.csv");
    writeFileSync(target, "old\n");
    const a = new OutputStream(target, { force: true });
    a.write("1,2\n");
    expect(readFileSync(target, "utf8")).toBe("old\n");
    a.abort();
    expect(readFileSync(target, "utf8")).toBe("old\n");
    expect(readdirSync(dir)).toEqual(["s.csv"]);
    const b = new OutputStream(target, { force: true });
    b.write("1,2\n");
    b.write("3,4\n");
    b.commit();
    expect(readFileSync(target, "utf8")).toBe("1,2\n3,4\n");
    expect(readdirSync(dir)).toEqual(["s.csv"]);
  });
  it("refuses an existing file without force before creating anything", () => {
    writeFileSync(join(dir, "t.csv"), "x");
    expect(() => new OutputStream(join(dir, "t.csv"), { force: false })).toThrow(/pass --force/);
    expect(readdirSync(dir)).toEqual(["t.csv"]);
  });
});
