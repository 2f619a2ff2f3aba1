import { createInterface } from "node:readline/promises";

/**
 * Interactive confirmation for apply, Terraform style: only the exact answer `yes`
 * approves. Used only when stdin is a terminal; elsewhere apply needs --auto-approve.
 */

/** CONFIRM_PROMPT is the question apply asks on a terminal. */
export const CONFIRM_PROMPT = "Do you want to apply these changes? Only 'yes' will be accepted: ";

/** isInteractive is true when a person can answer a question: stdin and stderr are terminals. */
export function isInteractive(stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): boolean {
  return stdin.isTTY === true && stderr.isTTY === true;
}

/**
 * confirmApply asks CONFIRM_PROMPT on stderr and resolves true only for the answer `yes`.
 * Ctrl-C and end of input (Ctrl-D) answer no.
 */
export async function confirmApply(stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Promise<boolean> {
  const rl = createInterface({ input: stdin, output: stderr, terminal: true });
  const abort = new AbortController();
  try {
    return await new Promise<boolean>((resolve) => {
      rl.once("SIGINT", () => {
        stderr.write("\n");
        abort.abort();
        resolve(false);
      });
      rl.once("close", () => resolve(false));
      rl.question(`\n${CONFIRM_PROMPT}`, { signal: abort.signal }).then(
        (answer) => resolve(answer.trim() === "yes"),
        () => resolve(false),
      );
    });
  } finally {
    rl.close();
  }
}

/** useColor: colour only on a terminal and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}
