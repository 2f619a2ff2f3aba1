import { isAlias, isMap, isSeq, isScalar, type Document, type LineCounter, type Node } from "yaml";
import { nodePos, unpack, type FastMapNode, type FastNode } from "./fast-yaml.js";

/** YamlPath is the path of a node in the document: map keys and sequence indexes. */
export type YamlPath = (string | number)[];

/** Position is a 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/**
 * SourceLocator turns a YAML path into the position of its node (or of its key, when `key`
 * is true and the last step is a map key). A path that does not exist resolves to its
 * deepest existing ancestor, so every diagnostic gets a real position. Lookups are lazy:
 * nothing is computed for nodes no one asks about.
 */
export interface SourceLocator {
  locate(path: YamlPath, key?: boolean): Position;
}

/** NULL_LOCATOR places everything at 1:1 (documents that never were text, e.g. a Pulumi input). */
export const NULL_LOCATOR: SourceLocator = { locate: () => ({ line: 1, column: 1 }) };

/** fastLocator walks the position tree of the fast parser. */
export function fastLocator(root: FastMapNode): SourceLocator {
  return {
    locate(path, key = false) {
      let node: FastNode = root;
      for (let i = 0; i < path.length; i++) {
        const step = path[i]!;
        if (typeof node === "number") break;
        if ("keys" in node) {
          const at = node.keys.indexOf(String(step));
          if (at === -1) break;
          if (key && i === path.length - 1) return { line: node.keyLines[at]!, column: unpack(node.pos).column };
          node = node.kids[at]!;
        } else {
          const item: FastNode | undefined = typeof step === "number" ? node.items[step] : undefined;
          if (item === undefined) break;
          node = item;
        }
      }
      return unpack(nodePos(node));
    },
  };
}

/** yamlLocator walks a `yaml` Document (the general path, used when the fast parser declines). */
export function yamlLocator(doc: Document, lineCounter: LineCounter): SourceLocator {
  const at = (offset: number | undefined): Position => {
    const p = lineCounter.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  return {
    locate(path, key = false) {
      let node: Node | null | undefined = doc.contents as Node | null;
      let offset = node?.range?.[0] ?? 0;
      for (let i = 0; i < path.length && node; i++) {
        if (isAlias(node)) node = node.resolve(doc) as Node | undefined;
        const step = path[i]!;
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
          if (!pair) break;
          const keyOffset = (pair.key as Node).range?.[0] ?? offset;
          if (key && i === path.length - 1) return at(keyOffset);
          node = pair.value as Node | null;
          offset = node?.range?.[0] ?? keyOffset;
        } else if (isSeq(node) && typeof step === "number" && node.items[step]) {
          node = node.items[step] as Node;
          offset = node.range?.[0] ?? offset;
        } else {
          break;
        }
      }
      return at(offset);
    },
  };
}
