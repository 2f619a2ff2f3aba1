/**
 * Ctrl-C during apply, Terraform style: the first interrupt aborts the signal applyPlan
 * watches, so the changes in flight finish and no new one starts (each is reported as
 * not attempted), and the summary is exact and a rerun converges; a second interrupt
 * stops at once. Either way the exit code is 130.
 */

/** INTERRUPTED_EXIT_CODE is the exit code of an interrupted apply (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/** Interrupt is one apply's Ctrl-C handling; `dispose` removes the signal handler. */
export interface Interrupt {
  signal: AbortSignal;
  interrupted(): boolean;
  dispose(): void;
}

/** READING_INTERRUPTED is what Ctrl-C before any change prints (then the CLI exits 130). */
export const READING_INTERRUPTED = "Interrupted while reading the workspace; nothing was changed.";

let readingGuard: (() => void) | null = null;

/**
 * guardReading installs the SIGINT handler of the time before any change (reading files and
 * the workspace, planning, asking): it says READING_INTERRUPTED and exits 130. onInterrupt
 * removes it for good, so once an apply starts, Ctrl-C never claims nothing was changed.
 */
export function guardReading(
  write: (line: string) => void = (line) => process.stderr.write(line),
  proc: Pick<NodeJS.Process, "on" | "off" | "exit"> = process,
): void {
  if (readingGuard !== null) return;
  const onSigint = () => {
    write(`\n${READING_INTERRUPTED}\n`);
    proc.exit(INTERRUPTED_EXIT_CODE);
  };
  proc.on("SIGINT", onSigint);
  readingGuard = () => proc.off("SIGINT", onSigint);
}

/** onInterrupt installs a SIGINT handler: the first aborts `signal` and calls `notify`; the second exits 130 at once. */
export function onInterrupt(
  notify: (line: string) => void,
  proc: Pick<NodeJS.Process, "on" | "off" | "exit"> = process,
): Interrupt {
  readingGuard?.();
  readingGuard = () => {};
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) proc.exit(INTERRUPTED_EXIT_CODE);
    controller.abort();
    notify("Interrupted: finishing the changes in flight and starting no new one (Ctrl-C again stops at once).");
  };
  proc.on("SIGINT", onSigint);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    dispose: () => proc.off("SIGINT", onSigint),
  };
}
