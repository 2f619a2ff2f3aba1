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

/** onInterrupt installs a SIGINT handler: the first aborts `signal` and calls `notify`; the second exits 130 at once. */
export function onInterrupt(
  notify: (line: string) => void,
  proc: Pick<NodeJS.Process, "on" | "off" | "exit"> = process,
): Interrupt {
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
