import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useColor } from "../../cli/confirm.js";
import { createProgress, LOG_EVERY_MS, type ProgressStream } from "../../cli/progress.js";
import { accessYaml, assertBuilt, people, runCli, startTestServer, writeAccessFile, type TestServer } from "../e2e/harness.js";

/**
 * CI logs: off a terminal, a long apply writes progress lines at a bounded rate (each
 * tenth, or LOG_EVERY_MS after the last line); on a terminal it redraws one line. Colour
 * follows NO_COLOR, FORCE_COLOR and TERM=dumb. The clock is injected.
 */

/** Capture is a stream that records what is written, as a terminal or not. */
function capture(isTTY: boolean): ProgressStream & { text: string } {
  const out = {
    isTTY,
    text: "",
    write(chunk: string | Uint8Array) {
      out.text += String(chunk);
      return true;
    },
  };
  return out as ProgressStream & { text: string };
}

/** drive feeds `total` finished changes, `msPerChange` apart on a fake clock, every 7th one failed. */
function drive(total: number, msPerChange: number, isTTY: boolean, env: NodeJS.ProcessEnv = {}): string {
  let t = 1_000_000;
  const stream = capture(isTTY);
  const progress = createProgress(total, { stream, now: () => t, env });
  let failed = 0;
  for (let done = 1; done <= total; done++) {
    t += msPerChange;
    if (done % 7 === 0) failed += 1;
    progress.update({ done, total, failed });
  }
  progress.finish();
  return stream.text;
}

describe("progress off a terminal", () => {
  it("writes one line per tenth of a fast apply, no carriage returns or escapes", () => {
    const text = drive(903, 10, false);
    const lines = text.split("\n").filter(Boolean);
    expect(text).not.toMatch(/[\r\x1b]/);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("Applying: 91/903 (10%), 13 failed, 1s");
    expect(lines[9]).toBe("Applying: 903/903 (100%), 129 failed, 9s");
  });

  it("writes a line every LOG_EVERY_MS of a slow apply, and never two within it between tenths", () => {
    const text = drive(20, 6_000, false);
    const seconds = text
      .split("\n")
      .filter(Boolean)
      .map((l) => Number(/, (\d+)s$/.exec(l)![1]));
    // tenths at every 2 changes (12 s): each line is one tenth; between tenths the 10 s rule never fires early.
    expect(seconds).toEqual([12, 24, 36, 48, 60, 72, 84, 96, 108, 120]);
    const slow = drive(10, 25_000, false, {});
    expect(slow.split("\n").filter(Boolean)).toHaveLength(10);
  });

  it("writes a time line within LOG_EVERY_MS when a tenth takes longer", () => {
    const text = drive(1000, 1_000, false);
    const seconds = text.split("\n").filter(Boolean).map((l) => Number(/, (\d+)s$/.exec(l)![1]));
    const gaps = seconds.slice(1).map((s, i) => s - seconds[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(LOG_EVERY_MS / 1000);
    expect(seconds.length).toBe(100);
  });

  it("stays silent for short applies", () => {
    expect(drive(9, 10_000, false)).toBe("");
  });
});

describe("progress on a terminal", () => {
  it("redraws one line in place and clears it at the end", () => {
    const text = drive(50, 200, true);
    expect(text.startsWith("\r\x1b[2KApplying: 1/50 (2%), 0s")).toBe(true);
    expect(text).not.toContain("\n");
    expect(text.endsWith("\r\x1b[2K")).toBe(true);
  });

  it("with TERM=dumb writes log lines instead of escapes", () => {
    const text = drive(50, 200, true, { TERM: "dumb" });
    expect(text).not.toMatch(/[\r\x1b]/);
    expect(text.split("\n").filter(Boolean)).toHaveLength(10);
  });
});

describe("useColor", () => {
  it.each<[boolean, NodeJS.ProcessEnv, boolean]>([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [false, { FORCE_COLOR: "1" }, true],
    [false, { FORCE_COLOR: "true" }, true],
    [true, { FORCE_COLOR: "0" }, false],
    [true, { FORCE_COLOR: "false" }, false],
    [false, { FORCE_COLOR: "" }, false],
    [false, { FORCE_COLOR: "1", NO_COLOR: "1" }, false],
    [true, { TERM: "dumb" }, false],
    [false, { TERM: "dumb", FORCE_COLOR: "1" }, true],
  ])("isTTY=%s %j: %s", (isTTY, env, expected) => {
    expect(useColor({ isTTY }, env)).toBe(expected);
  });
});

describe("a real apply with stderr piped", () => {
  let server: TestServer;
  beforeAll(async () => {
    assertBuilt();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("prints progress lines on stderr, at most one per tenth, and keeps stdout free of them", async () => {
    const file = await writeAccessFile(
      server.dir,
      "access.yaml",
      accessYaml({ owner: server.owner, members: people(40).map((email) => ({ email, role: "developer" })) }),
    );
    const result = await runCli(["apply", "-f", file, "--auto-approve"], { env: server.env() });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.split("\n").filter((l) => l.startsWith("Applying: "));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toMatch(/^Applying: 40\/40 \(100%\), \d+s$/);
    expect(result.stderr).not.toMatch(/[\r\x1b]/);
    expect(result.stdout).not.toContain("Applying: ");
  });
});
