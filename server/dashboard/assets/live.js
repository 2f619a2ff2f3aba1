// @ts-check
// Live updates: the workspace's event stream (server-sent events read with fetch, see
// api.js watchRevisions) tells every committed revision at once; while it is down the
// page polls the revision instead, says so in the live bar, and keeps trying to reconnect.

/** FALLBACK_POLL_MS is how often the page polls the revision while the stream is down. */
export const FALLBACK_POLL_MS = 5_000;
/** RECONNECT_MS are the waits before each new attempt to open the stream (the last repeats). */
const RECONNECT_MS = [1_000, 3_000, 10_000, 30_000];

/**
 * watchLive keeps the event stream of `api` open: `onRevision(n)` for each revision,
 * `onState("live" | "polling")` when the stream opens or drops. It returns a stop function.
 * @param {any} api
 * @param {any} options
 */
export function watchLive(api, { onRevision, onState }) {
  let stopped = false;
  let attempt = 0;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let retry = null;
  /** @type {AbortController | null} */
  let controller = null;
  const connect = async () => {
    controller = new AbortController();
    try {
      await api.watchRevisions(onRevision, () => {
        attempt = 0;
        onState("live");
      }, controller.signal);
    } catch {
      // dropped or refused: fall back to polling below (a 401 has signed out already)
    }
    if (stopped) return;
    onState("polling");
    retry = setTimeout(connect, RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
  };
  void connect();
  return () => {
    stopped = true;
    if (retry !== null) clearTimeout(retry);
    controller?.abort();
  };
}

/**
 * liveNotice is the live bar's sentence for a stream state ("" while live).
 * @param {any} state
 */
export function liveNotice(state) {
  return state === "polling" ? `Live updates are interrupted: checking for changes every ${FALLBACK_POLL_MS / 1000} s.` : "";
}
