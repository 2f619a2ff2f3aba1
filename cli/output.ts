import { writeFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";

/** Writing what a command produces: files named by an option, and text on a stream. */

/** writeOutputFile writes `text` to `path`; a failure is a one-line ConfigError naming the file and why. */
export async function writeOutputFile(path: string, text: string, what: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unwritable";
    throw new ConfigError(`cannot write ${what} to ${path} (${code})`, [], { cause: err });
  }
}

/** commentPath is where comment `n` of `plan --format markdown --out FILE` goes: FILE for the first, else FILE with `.n` before its extension (plan.md → plan.2.md). */
export function commentPath(path: string, n: number): string {
  if (n === 1) return path;
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash + 1 ? `${path.slice(0, dot)}.${n}${path.slice(dot)}` : `${path}.${n}`;
}

/** writeComments prints Markdown comments on stdout one after the other (each starts with its marker line) and, with `out`, writes each to its file (commentPath). */
export async function writeComments(comments: readonly string[], out: string | undefined): Promise<void> {
  if (out !== undefined) for (const [i, text] of comments.entries()) await writeOutputFile(commentPath(out, i + 1), text, `comment ${i + 1} of ${comments.length}`);
  process.stdout.write(withNewline(comments.join("")));
}

/** withNewline ends `text` with exactly the newline a terminal line needs. */
export function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

/**
 * ignoreClosedStdout keeps `plan | head` from crashing: once the reader of stdout goes
 * away, further output is dropped and the command runs to its end (an apply is never cut
 * short by a closed pipe). Other stdout errors still surface.
 */
export function ignoreClosedStdout(stdout: NodeJS.WriteStream = process.stdout): void {
  if (stdout.listenerCount("error") > 0) return;
  stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
  });
}
