import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../schema/diagnostics.js";
import { parseYamlText } from "../../schema/source/parse-text.js";

/**
 * A YAML syntax error is one finding per spot, with a code frame (the lines around it,
 * numbered, a caret under the spot) and a hint: tabs, or indentation that does not line up.
 */
function findings(text: string): string[] {
  const parsed = parseYamlText(text, "access.yaml");
  if (parsed.ok) throw new Error("parsed");
  return parsed.diagnostics.map(formatDiagnostic);
}

describe("YAML syntax errors", () => {
  it.each<[string, string, string[]]>([
    [
      "an entry indented too far",
      "version: 1\nworkspace: acme-prod\nmembers:\n  - email: a@acme.io\n     role: developer\n",
      [
        "access.yaml:4:12 error yaml-syntax YAML syntax: Nested mappings are not allowed in compact mappings; check the indentation: keys of one map, and the `- ` of one list's items, start at the same column\n" +
          "  3 | members:\n  4 |   - email: a@acme.io\n    |            ^\n  5 |      role: developer",
      ],
    ],
    [
      "a key indented too little",
      "version: 1\nworkspace: acme-prod\nmembers:\n  - email: b@acme.io\n   role: developer\n",
      [
        "access.yaml:5:1 error yaml-syntax YAML syntax: Sequence item without - indicator; check the indentation: keys of one map, and the `- ` of one list's items, start at the same column\n" +
          "  4 |   - email: b@acme.io\n  5 |    role: developer\n    | ^",
      ],
    ],
    [
      "a tab",
      "version: 1\nworkspace: acme-prod\nmembers:\n  - email: a@acme.io\n\trole: developer\n",
      ["access.yaml:5:1 error yaml-syntax YAML syntax: Tabs are not allowed as indentation; indent with spaces, not tabs\n  4 |   - email: a@acme.io\n  5 | →role: developer\n    | ^"],
    ],
  ])("%s: one finding at the spot, a code frame and a hint", (_name, text, expected) => {
    expect(findings(text)).toEqual(expected);
  });

  it("three wrongly indented entries give three findings, not two per spot", () => {
    const entry = (n: number) => `  - email: p${n}@acme.io\n     role: developer\n`;
    const text = `version: 1\nworkspace: acme-prod\nmembers:\n${entry(1)}${entry(2)}${entry(3)}`;
    const lines = findings(text).map((f) => f.split("\n", 1)[0]!.split(" ", 1)[0]);
    expect(lines).toEqual(["access.yaml:4:12", "access.yaml:6:12", "access.yaml:8:12"]);
  });
});
