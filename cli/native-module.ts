/**
 * Recognising a missing or unloadable better-sqlite3, the one native module antryk-access
 * needs (the reference server behind `serve` and the embedded local workspace). Installed
 * under another Node.js, with install scripts off, or copied between machines, its
 * binary does not load: that is the user's environment, not a bug, and it has one fix.
 */

/** NATIVE_MODULE is the package whose compiled addon the reference server loads. */
export const NATIVE_MODULE = "better-sqlite3";

/** REBUILD_COMMAND is the fix for every failure nativeModuleProblem recognises. */
export const REBUILD_COMMAND = `npm rebuild ${NATIVE_MODULE}`;

/**
 * nativeModuleProblem returns the lines that explain a missing or unloadable
 * better-sqlite3 found anywhere in `err`'s cause chain (what is missing, the loader's
 * first line, and the rebuild command), or null when the error is something else.
 */
export function nativeModuleProblem(err: unknown, nodeVersion: string = process.version): string[] | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    const what = classify(e);
    if (what === null) continue;
    return [
      `error: the native module ${NATIVE_MODULE} ${what}; the embedded local workspace and \`serve\` need it`,
      `  ${firstLine(e.message)}`,
      `  rebuild it for this Node.js (${nodeVersion}) with \`${REBUILD_COMMAND}\` in the project where antryk-access is installed`,
    ];
  }
  return null;
}

function classify(e: Error): string | null {
  const code = (e as NodeJS.ErrnoException).code;
  const message = e.message;
  if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(`'${NATIVE_MODULE}'`)) {
    return "is not installed";
  }
  if (!message.includes("better_sqlite3")) return null;
  if (code === "ERR_DLOPEN_FAILED") return "is installed but its compiled addon does not load";
  if (message.startsWith("Could not locate the bindings file")) return "is installed but was never built (its compiled addon is missing)";
  return null;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0]!.trim();
}
