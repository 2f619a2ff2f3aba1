/**
 * Fault injection: a seeded, reproducible choice of which requests fail and how, so
 * the client's retries are tested against real failures. The n-th request the plan is
 * asked about always gets the same decision for the same seed and fraction.
 */

/** FaultOptions: `fraction` of requests (0..1) fail; `seed` makes the choice reproducible. */
export interface FaultOptions {
  fraction: number;
  seed: number;
}

/** FaultKind is how a request fails: an error status, or a dropped connection with no answer. */
export type FaultKind = "500" | "503" | "429" | "drop";

/**
 * Fault is one decided failure. `before`: the request is not processed at all.
 * `after`: the change is processed and committed, then the answer is lost or replaced.
 */
export interface Fault {
  kind: FaultKind;
  phase: "before" | "after";
}

const KINDS: readonly FaultKind[] = ["500", "503", "429", "drop"];

/** mulberry32 is a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FaultPlan decides, request after request, which fail; three draws per request keep the sequence aligned. */
export class FaultPlan {
  private readonly random: () => number;

  constructor(private readonly options: FaultOptions) {
    if (!(options.fraction >= 0 && options.fraction <= 1)) throw new RangeError(`fault fraction must be within 0..1, got ${options.fraction}`);
    this.random = mulberry32(options.seed);
  }

  /** next decides the fate of the next request: a Fault, or null to serve it normally. */
  next(): Fault | null {
    const hit = this.random() < this.options.fraction;
    const kind = KINDS[Math.floor(this.random() * KINDS.length)]!;
    const phase = this.random() < 0.5 ? "before" : "after";
    return hit ? { kind, phase } : null;
  }
}

/** faultStatus is the HTTP status of a non-drop fault, with its error code. */
export function faultAnswer(kind: Exclude<FaultKind, "drop">): { status: number; code: "internal" | "unavailable" | "rate_limited"; message: string } {
  switch (kind) {
    case "500":
      return { status: 500, code: "internal", message: "injected fault: internal error" };
    case "503":
      return { status: 503, code: "unavailable", message: "injected fault: service unavailable" };
    case "429":
      return { status: 429, code: "rate_limited", message: "injected fault: rate limited" };
  }
}
