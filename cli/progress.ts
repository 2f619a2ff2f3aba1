/**
 * A one-line progress display for long applies, on stderr and only on a terminal, so
 * piped or captured output (CI logs, --format json) never sees carriage returns.
 */

/** ProgressEvent is what the display needs to know after each finished change. */
export interface ProgressEvent {
  done: number;
  total: number;
  failed: number;
}

/** ProgressDisplay receives events and clears its line when the apply ends. */
export interface ProgressDisplay {
  update(event: ProgressEvent): void;
  finish(): void;
}

/** MIN_CHANGES_FOR_PROGRESS: shorter applies finish before a display is worth drawing. */
export const MIN_CHANGES_FOR_PROGRESS = 10;

/** createProgress returns a display drawing at most every `intervalMs`, or a silent one off a terminal or for short applies. */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr, intervalMs = 100): ProgressDisplay {
  if (stream.isTTY !== true || total < MIN_CHANGES_FOR_PROGRESS) return { update() {}, finish() {} };
  let last = 0;
  let drawn = false;
  const started = Date.now();
  return {
    update(event) {
      const now = Date.now();
      if (now - last < intervalMs && event.done < event.total) return;
      last = now;
      drawn = true;
      stream.write(`\r\x1b[2K${progressLine(event, now - started)}`);
    },
    finish() {
      if (drawn) stream.write("\r\x1b[2K");
    },
  };
}

/** progressLine renders e.g. `Applying: 120/500 (24%), 2 failed, 3s`. */
export function progressLine(event: ProgressEvent, elapsedMs: number): string {
  const pct = event.total === 0 ? 100 : Math.floor((event.done / event.total) * 100);
  const failed = event.failed > 0 ? `, ${event.failed} failed` : "";
  return `Applying: ${event.done}/${event.total} (${pct}%)${failed}, ${Math.round(elapsedMs / 1000)}s`;
}
