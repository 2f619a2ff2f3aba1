import type * as pulumi from "@pulumi/pulumi";

/*
 * The dynamic providers: the objects Pulumi serializes into the stack (the `__provider`
 * input) and re-creates in the dynamic-provider host, another process in the program's
 * folder. Serialization-safe by construction, because a serialization that succeeds can
 * still break when run:
 *
 * 1. The provider is one class with plain fields only: `resource` (which operations it
 *    runs, a constant string), `home` (the URL of the operations module where the program
 *    found it, a string) and `config`, undefined at construction (set by `configure`
 *    in the host). Pulumi writes the field values into the serialized text, so nothing
 *    but these strings and undefined may be there when the program serializes it.
 * 2. Every method loads its code inside the method, by bare package name, through the
 *    package's own `exports`: `await import("antryk-access/provider/operations")` (a
 *    subpath of its own, not the public entry: see provider/index.ts), from the host's
 *    folder (the program's, whose node_modules has it), else from `home`: an Automation
 *    API inline program's work dir may have no node_modules at all. The serialized
 *    text therefore captures no module, no function and no value of this file. Pulumi
 *    can re-create a captured CommonJS module with `require`, but an ES module binding a
 *    method captures (a destructured `import { x }`, a namespace) is copied by value or
 *    fails to serialize, and a copied connection pool would not work in the host.
 * 3. No connection pool, undici Agent, timer or other handle is created at module level
 *    or kept on the object: each operation opens its client and closes it (session.ts).
 * 4. Credentials come from `configure` (stack config `antryk:apiUrl`, `antryk:token`, or
 *    the key a resource's `tokenConfig` names), which only ever runs in the host, or from
 *    ANTRYK_API_URL / ANTRYK_TOKEN read inside the operation; never from resource inputs,
 *    never into outputs or state (session.ts binds each token to its URL).
 * 6. The text is stored in every resource's state, and Pulumi runs a resource's read and
 *    delete with the text stored at its last update: texts written by older versions call
 *    `operations` too (through `antryk-access/provider`, before the subpath existed). The
 *    `operations` signatures are therefore a permanent interface (provider/operations.ts); test/provider/compat.test.ts drives a state and texts written by
 *    the version before issue 18 (test/provider/fixtures/v0-state.json).
 * 5. Methods stay one line: the logic lives in workspace-access.ts, member.ts and
 *    custom-role.ts (one `operations` entry each, all of the same shape), loaded in the
 *    host like any module, and tested there.
 *
 * test/provider/ proves these rules: the host is driven by the real engine protocol with
 * the text serializeFunction produced, and a round trip re-creates each provider from
 * that text in a fresh Node process in another working directory.
 */

type Props = Record<string, any>;

/** ResourceKind names an entry of `operations` (provider/operations.ts): the resource a provider serves. */
export type ResourceKind = "workspaceAccess" | "member" | "customRole";

/** StackConfig is the part of the host's config object the provider reads: any key, namespaced (`antryk:token`). */
interface StackConfig {
  get(key: string): unknown;
}

/** AccessProvider is the serializable provider of one resource class, named by `resource`. */
export class AccessProvider implements pulumi.dynamic.ResourceProvider {
  config: StackConfig | undefined = undefined;

  /** home is the URL of the operations module as the program resolved it (resources.ts): where the host looks when the program's folder has no antryk-access. */
  constructor(
    readonly resource: ResourceKind,
    readonly home?: string,
  ) {}

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.config = req.config;
  }
  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const { operations } = (await import("antryk-access/provider/operations").catch((err: unknown) => (this.home ? import(this.home) : Promise.reject(err)))) as typeof import("./operations.js");
    return operations[this.resource].check(olds, news, { get: (key: string) => this.config?.get(key) });
  }
  async diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const { operations } = (await import("antryk-access/provider/operations").catch((err: unknown) => (this.home ? import(this.home) : Promise.reject(err)))) as typeof import("./operations.js");
    return operations[this.resource].diff({ get: (key: string) => this.config?.get(key) }, olds, news);
  }
  async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    const { operations } = (await import("antryk-access/provider/operations").catch((err: unknown) => (this.home ? import(this.home) : Promise.reject(err)))) as typeof import("./operations.js");
    return operations[this.resource].create({ get: (key: string) => this.config?.get(key) }, inputs);
  }
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const { operations } = (await import("antryk-access/provider/operations").catch((err: unknown) => (this.home ? import(this.home) : Promise.reject(err)))) as typeof import("./operations.js");
    return operations[this.resource].read({ get: (key: string) => this.config?.get(key) }, id, props);
  }
  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const { operations } = (await import("antryk-access/provider/operations").catch((err: unknown) => (this.home ? import(this.home) : Promise.reject(err)))) as typeof import("./operations.js");
    return operations[this.resource].update({ get: (key: string) => this.config?.get(key) }, news, olds);
  }
  async delete(id: string, props: Props): Promise<void> {
    const { operations } = (await import("antryk-access/provider/operations").catch((err: unknown) => (this.home ? import(this.home) : Promise.reject(err)))) as typeof import("./operations.js");
    return operations[this.resource].remove({ get: (key: string) => this.config?.get(key) }, props);
  }
}
