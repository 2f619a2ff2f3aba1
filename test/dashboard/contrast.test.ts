import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dashboardAssetsDir } from "../../server/dashboard/index.js";

/**
 * Non-text contrast (WCAG 1.4.11), which axe-core does not measure: the focus ring and the
 * borders of inputs and buttons keep at least 3:1 against every background they sit on.
 */

const css = readFileSync(join(dashboardAssetsDir(), "app.css"), "utf8");

// The light scheme is :root's first block; the dark one is the prefers-color-scheme: dark block.
const dark = css.match(/@media \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}/)?.[1] ?? "";

function variable(name: string, scheme: "light" | "dark" = "light"): string {
  const match = (scheme === "dark" ? dark : css).match(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`));
  if (!match) throw new Error(`app.css defines no --${name} colour${scheme === "dark" ? " for the dark scheme" : ""}`);
  return match[1]!;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("non-text contrast of the dashboard's controls", () => {
  it.each(
    (["light", "dark"] as const).flatMap((scheme) =>
      [
        ["focus", "surface"],
        ["focus", "bg"],
        ["control-border", "surface"],
        ["control-border", "bg"],
        ["danger", "surface"],
      ].map(([fg, bg]) => [scheme, fg!, bg!] as const),
    ),
  )("%s scheme: --%s against --%s is at least 3:1", (scheme, fg, bg) => {
    expect(contrast(variable(fg, scheme), variable(bg, scheme))).toBeGreaterThanOrEqual(3);
  });

  it("the focus ring in the dark top bar is at least 3:1 against it (the ring sits 2 px off every control, on its background)", () => {
    const bar = css.match(/\.topbar \{[^}]*background: (#[0-9a-fA-F]{6})/)?.[1];
    const ring = css.match(/\.topbar :focus-visible \{ outline-color: (#[0-9a-fA-F]{6})/)?.[1];
    expect(bar && ring, "top bar colours").toBeTruthy();
    expect(contrast(ring!, bar!)).toBeGreaterThanOrEqual(3);
    expect(css).toMatch(/:focus-visible \{ outline: 3px solid var\(--focus\); outline-offset: 2px; \}/);
  });

  it("inputs and secondary buttons draw their border in --control-border", () => {
    expect(css).toMatch(/\n\.btn \{[^}]*border: 1px solid var\(--control-border\)/);
    expect(css).toMatch(/\ninput, select, textarea \{[^}]*border: 1px solid var\(--control-border\)/);
    expect(css).toMatch(/:focus-visible \{ outline: 3px solid var\(--focus\)/);
  });
});
