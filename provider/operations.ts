/**
 * antryk-access/provider/operations: what the serialized providers (providers.ts) call
 * once re-created in the dynamic-provider host, which loads this subpath by package name.
 * Not for programs (use the resource classes of `antryk-access/provider`), but a
 * PERMANENT interface: provider texts already stored in users' states call it, with the
 * state those versions wrote. Every version must keep, for each of `workspaceAccess`,
 * `member` and `customRole`:
 *   check(olds, news, config?)      diff(config, olds, news)      create(config, inputs)
 *   read(config, id, props)         update(config, news, olds?)   remove(config, props)
 * where `config` may be `{ apiUrl, token }` (texts before issue 18) or `{ get(key) }`, and
 * props may lack any output added since. New parameters are added only at the end, optional.
 * test/provider/compat.test.ts drives a state written by the previous version.
 */
import * as customRole from "./custom-role.js";
import * as member from "./member.js";
import * as workspaceAccess from "./workspace-access.js";

/** operations maps each ResourceKind to the operations of its resource. */
export const operations = { workspaceAccess, member, customRole };
