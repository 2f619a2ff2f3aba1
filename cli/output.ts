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

/** withNewline ends `text` with exactly the newline a terminal line needs. */
export function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
