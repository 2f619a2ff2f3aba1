import { describe, expect, it } from "vitest";
import { createClient } from "../../client/index.js";
import { isLoopbackHost, parseBaseUrl } from "../../client/url.js";
import { ConfigError } from "../../errors.js";

describe("parseBaseUrl accepts https anywhere and http only on loopback", () => {
  it.each([
    ["https://api.antryk.com", "https://api.antryk.com", ""],
    ["https://api.antryk.com/", "https://api.antryk.com", ""],
    ["https://gw.example.com/access/", "https://gw.example.com", "/access"],
    ["http://127.0.0.1:4600", "http://127.0.0.1:4600", ""],
    ["http://127.10.20.30:80", "http://127.10.20.30", ""],
    ["http://localhost:4600", "http://localhost:4600", ""],
    ["http://[::1]:4600", "http://[::1]:4600", ""],
    ["http://LOCALHOST:1", "http://localhost:1", ""],
  ])("%s", (input, origin, prefix) => {
    const parsed = parseBaseUrl(input);
    expect(parsed.origin).toBe(origin);
    expect(parsed.prefix).toBe(prefix);
  });

  it.each([
    ["plain http to a public host", "http://api.antryk.com", /refusing to send a token over plain http to api\.antryk\.com/],
    ["plain http to a private address", "http://10.0.0.5:4600", /plain http/],
    ["plain http to 128.0.0.1", "http://128.0.0.1", /plain http/],
    ["plain http to a look-alike name", "http://127.0.0.1.nip.io", /plain http/],
    ["plain http to localhost.evil.com", "http://localhost.evil.com", /plain http/],
    ["plain http to 0.0.0.0", "http://0.0.0.0:4600", /plain http/],
    ["another scheme", "ftp://api.antryk.com", /must use https/],
    ["not a URL", "api.antryk.com", /not a valid URL/],
    ["credentials in the URL", "https://user:secret@api.antryk.com", /must not contain credentials/],
    ["a query", "https://api.antryk.com/?token=x", /must not have a query/],
  ])("refuses %s", (_name, input, message) => {
    expect(() => parseBaseUrl(input)).toThrow(ConfigError);
    expect(() => parseBaseUrl(input)).toThrow(message);
  });

  it("createClient refuses before opening anything, and the error does not carry the token", () => {
    const token = "tok_SECRET_1234567890";
    let caught: unknown;
    try {
      createClient({ baseUrl: "http://api.antryk.com", token });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(JSON.stringify(caught)).not.toContain(token);
    expect(String((caught as Error).message)).not.toContain(token);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["[::1]", true],
    ["::1", true],
    ["localhost", true],
    ["[::ffff:7f00:1]", false],
    ["[fe80::1]", false],
    ["192.168.1.1", false],
    ["example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
