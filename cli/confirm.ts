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

/**
 * useColor decides colour for `stream`, in this order: never with NO_COLOR set to anything
 * non-empty (no-color.org); FORCE_COLOR set forces it on (off for `0` or `false`), even
 * off a terminal (force-color.org); never on TERM=dumb; otherwise only on a terminal.
 */
export function useColor(stream: Pick<NodeJS.WriteStream, "isTTY">, env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.NO_COLOR ?? "") !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force.toLowerCase() !== "false";
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}
