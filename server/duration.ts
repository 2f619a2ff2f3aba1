const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** parseDuration reads `1s`, `90s`, `15m`, `12h`, `7d` (or `500ms`) into milliseconds; anything else is a RangeError. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new RangeError(`invalid duration "${text}": write a whole number and a unit, e.g. 90s, 15m, 7d`);
  const ms = Number(match[1]) * UNITS[match[2]!]!;
  if (ms <= 0 || !Number.isSafeInteger(ms)) throw new RangeError(`invalid duration "${text}": must be positive`);
  return ms;
}
