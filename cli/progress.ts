/**
 * Progress of a long apply, on stderr so stdout (the plan, --format json) stays clean.
 * On a terminal: one line, redrawn in place. Elsewhere (CI logs, a pipe): whole lines
 * at a bounded rate, one per tenth of the changes done or per LOG_EVERY_MS, so a log
 * shows the apply moving without carriage returns and without a line per change.
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

/** ProgressStream is the part of a stream the display writes to. */
export type ProgressStream = Pick<NodeJS.WriteStream, "write" | "isTTY">;

/** ProgressOptions: where to draw, the clock (injectable for tests) and the environment (TERM=dumb draws no escapes). */
export interface ProgressOptions {
  stream?: ProgressStream;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

/** MIN_CHANGES_FOR_PROGRESS: shorter applies finish before a display is worth drawing. */
export const MIN_CHANGES_FOR_PROGRESS = 10;

/** REDRAW_MS: a terminal's line is redrawn at most this often. */
export const REDRAW_MS = 100;

/** LOG_EVERY_MS: off a terminal, a line is written at least this long after the last one (or at the next tenth). */
export const LOG_EVERY_MS = 10_000;

/**
 * createProgress returns the display for an apply of `total` changes: the redrawn line on
 * a terminal (not TERM=dumb), log lines elsewhere, nothing for short applies.
 */
export function createProgress(total: number, options: ProgressOptions = {}): ProgressDisplay {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const env = options.env ?? process.env;
  if (total < MIN_CHANGES_FOR_PROGRESS) return { update() {}, finish() {} };
  return stream.isTTY === true && env.TERM !== "dumb" ? terminalProgress(stream, now) : logProgress(stream, now);
}

function terminalProgress(stream: ProgressStream, now: () => number): ProgressDisplay {
  const started = now();
  let last = -Infinity;
  let drawn = false;
  return {
    update(event) {
      const t = now();
      if (t - last < REDRAW_MS && event.done < event.total) return;
      last = t;
      drawn = true;
      stream.write(`\r\x1b[2K${progressLine(event, t - started)}`);
    },
    finish() {
      if (drawn) stream.write("\r\x1b[2K");
    },
  };
}

function logProgress(stream: ProgressStream, now: () => number): ProgressDisplay {
  const started = now();
  let lastAt = started;
  let lastTenth = 0;
  return {
    update(event) {
      const t = now();
      const tenth = event.total === 0 ? 10 : Math.floor((event.done * 10) / event.total);
      if (tenth <= lastTenth && t - lastAt < LOG_EVERY_MS) return;
      lastTenth = Math.max(tenth, lastTenth);
      lastAt = t;
      stream.write(`${progressLine(event, t - started)}\n`);
    },
    finish() {},
  };
}

/** progressLine renders e.g. `Applying: 120/500 (24%), 2 failed, 3s`. */
export function progressLine(event: ProgressEvent, elapsedMs: number): string {
  const pct = event.total === 0 ? 100 : Math.floor((event.done / event.total) * 100);
  const failed = event.failed > 0 ? `, ${event.failed} failed` : "";
  return `Applying: ${event.done}/${event.total} (${pct}%)${failed}, ${Math.round(elapsedMs / 1000)}s`;
}
