// Lint: type-aware typescript-eslint over the TypeScript sources and tests, the
// dashboard's plain browser modules, and the stage order of docs/architecture.md
// as import boundaries. `npm run lint` runs it with zero warnings allowed.
import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

const TS_FILES = ["*.ts", "{schema,client,reconciler,server,cli,provider,bench,test}/**/*.ts"];

// Which top-level folders (or root modules) a folder may not import: the stage
// order schema ← reconciler ← cli/provider; client reads only schema/ and errors;
// nothing outside cli/ imports cli/ (tests may); nothing imports test/.
const FORBIDDEN = {
  schema: ["client", "reconciler", "server", "cli", "provider", "bench", "test", "index", "describe-error"],
  client: ["reconciler", "server", "cli", "provider", "bench", "test", "index", "describe-error"],
  reconciler: ["server", "cli", "provider", "bench", "test", "index"],
  server: ["reconciler", "client", "cli", "provider", "bench", "test", "index"],
  provider: ["server", "cli", "bench", "test", "index"],
  cli: ["provider", "bench", "test"],
  bench: ["cli", "test"],
  root: ["cli", "provider", "bench", "test"],
};

// A relative specifier that climbs out of its folder into one of `names`
// (`../../server/x.js`, `../index.js`). No folder below the top level reuses
// these names, so the climb alone identifies the target.
function climbInto(names) {
  return `^(\\.\\./)+(${names.join("|")})(/|\\.js$|$)`;
}

function rootInto(names) {
  return `^\\./(${names.join("|")})(/|\\.js$|$)`;
}

function boundary(folder, names) {
  const regex = folder === "root" ? rootInto(names) : climbInto(names);
  const message = `${folder === "root" ? "the root modules" : `${folder}/`} may not import ${names.join(", ")} (stage order: docs/architecture.md).`;
  return {
    files: folder === "root" ? ["*.ts"] : [`${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex, message }] }],
      // no-restricted-imports does not see import(): the same boundary for dynamic imports.
      "no-restricted-syntax": [
        "error",
        { selector: `ImportExpression > Literal[value=/${regex.replaceAll("/", "\\/")}/]`, message },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "examples/**", ".antryk/**", "test-results/**"] },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: TS_FILES,
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: "./tsconfig.lint.json", tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false, allowDefaultCaseForExhaustiveSwitch: true },
      ],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  // No import cycle between modules: import-x/no-cycle follows value imports and import()
  // (the TypeScript resolver maps `./x.js` to `./x.ts`); test/tooling/import-cycles.test.ts
  // also counts type-only imports. cli/ and test/ are left out until issue #27 restructures
  // them; their cycles today: cli/run-plan ↔ run-plan-set, cli/run-apply ↔ run-apply-set,
  // cli/run-export ↔ run-export-set, test/provider/harness ↔ engine-resource.
  {
    files: TS_FILES,
    ignores: ["cli/**", "test/**"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: `${import.meta.dirname}/tsconfig.lint.json` })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  ...Object.entries(FORBIDDEN).map(([folder, names]) => boundary(folder, names)),
  {
    files: ["server/dashboard/assets/*.js"],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["eslint.config.js", "test/**/*.{mjs,cjs}"],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2022, globals: globals.node },
  },
);
