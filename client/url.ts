import { isIP } from "node:net";
import { ConfigError } from "../errors.js";

/**
 * parseBaseUrl checks the API base URL before any token is sent: https anywhere,
 * plain http only to a loopback host (127.0.0.0/8, ::1, localhost), no credentials
 * in the URL. It returns the origin (what the connection pool is keyed on) and the
 * path prefix routes are appended to (no trailing slash). Throws ConfigError.
 */
export function parseBaseUrl(baseUrl: string): { origin: string; prefix: string; display: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`the API URL "${baseUrl}" is not a valid URL (expected e.g. https://api.antryk.com)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`the API URL ${url.origin} must use https (got ${url.protocol.replace(":", "")})`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError("the API URL must not contain credentials; pass the token with ANTRYK_TOKEN or --token-file");
  }
  if (url.search !== "" || url.hash !== "") {
    throw new ConfigError(`the API URL ${url.origin}${url.pathname} must not have a query or fragment`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      `refusing to send a token over plain http to ${url.host}: use https (plain http is allowed only to 127.0.0.0/8, ::1 and localhost)`,
    );
  }
  const prefix = url.pathname.replace(/\/+$/, "");
  return { origin: url.origin, prefix, display: `${url.origin}${prefix}` };
}

/** isLoopbackHost: `localhost`, any IPv4 address in 127.0.0.0/8, or ::1 (URL hostnames keep IPv6 brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.split(".")[0] === "127";
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}
