import { existsSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * Where an exported access.yaml's yaml-language-server modeline points: the JSON Schema
 * of the antryk-access installed in the file's project, found as Node finds packages
 * (node_modules in the file's folder or any folder above it), relative to the file.
 */

/** INSTALLED_SCHEMA is the schema's path inside a project: node_modules/antryk-access/schema/access.schema.json. */
export const INSTALLED_SCHEMA = join("node_modules", "antryk-access", "schema", "access.schema.json");

/**
 * modelineSchemaPath returns the `$schema` value for a file written at `file`: the nearest
 * installed schema as a relative path from the file's folder (`./node_modules/…`,
 * `../node_modules/…`), or null when no folder at or above it has antryk-access installed.
 */
export function modelineSchemaPath(file: string): string | null {
  const from = dirname(resolve(file));
  for (let dir = from; ; dir = dirname(dir)) {
    const schema = join(dir, INSTALLED_SCHEMA);
    if (existsSync(schema)) {
      const path = relative(from, schema).split(sep).join("/");
      return path.startsWith("../") ? path : `./${path}`;
    }
    if (dirname(dir) === dir) return null;
  }
}
