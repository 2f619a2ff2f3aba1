import { readFileSync } from "node:fs";

/** PACKAGE_VERSION is antryk-access's version from its package.json (found from source or from dist/). */
export const PACKAGE_VERSION: string = readVersion();

/** USER_AGENT is what the client sends as User-Agent; the server records it as the client of each change. */
export const USER_AGENT = `antryk-access/${PACKAGE_VERSION}`;

function readVersion(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "antryk-access" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not this candidate: try the next one
    }
  }
  throw new Error("antryk-access: cannot find its own package.json to read its version");
}
