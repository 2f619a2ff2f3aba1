import { HostError, type CheckFailure, type CheckResult, type DiffResult, type Props, type ProviderHost } from "./harness.js";
import { managerOfUrn } from "../../provider/manager.js";

/**
 * The engine's steps for one resource (split from harness.ts, which re-exports them):
 * `EngineResource` strings the host's calls together the way `pulumi up`, `refresh`,
 * `destroy` and `import` do, keeping the state between steps as the checkpoint does.
 */

/** CheckFailedError: the engine stops the operation when Check returns failures, and prints each. */
export class CheckFailedError extends Error {
  constructor(readonly failures: CheckFailure[]) {
    super(failures.map((f) => `${f.property}: ${f.reason}`).join("\n"));
    this.name = "CheckFailedError";
  }
}

/** ResourceState is the engine's checkpoint of one resource. */
export interface ResourceState {
  id: string;
  inputs: Props;
  outputs: Props;
}

/** UpStep says what `register` did, as `pulumi up` reports it. */
export type UpStep = "create" | "same" | "update" | "replace";

/**
 * EngineResource drives one resource through the host the way the engine does:
 * `register` is one `pulumi up` of the resource, `refresh` one `pulumi refresh`,
 * `destroy` one `pulumi destroy`.
 */
export class EngineResource {
  state: ResourceState | null = null;
  readonly urn: string;

  constructor(
    private readonly host: ProviderHost,
    readonly type: string,
    readonly name: string,
    private readonly providerText: string | null,
    private readonly options: { programManager?: boolean } = {},
  ) {
    this.urn = `urn:pulumi:test::antryk-access-test::${type}::${name}`;
  }

  /**
   * withProvider adds `__provider`, as `pulumi.dynamic.Resource` does (a native resource, with
   * no provider text, has none), and with `programManager` the hidden input `manager` the
   * dynamic resource classes compute from the engine's context (provider/manager.ts).
   */
  private withProvider(inputs: Props): Props {
    const manager = this.options.programManager === true && !("manager" in inputs) ? { manager: managerOfUrn(this.urn) } : {};
    return this.providerText === null ? inputs : { ...inputs, ...manager, __provider: this.providerText };
  }

  /** checkOnly runs Check the way `pulumi preview` starts, returning failures instead of throwing. */
  checkOnly(inputs: Props): Promise<CheckResult> {
    return this.host.check(this.urn, this.state?.inputs ?? {}, this.withProvider(inputs));
  }

  /** previewDiff runs Check then Diff against the current state without changing anything. */
  async previewDiff(inputs: Props): Promise<DiffResult> {
    if (!this.state) throw new Error("previewDiff needs a created resource");
    const checked = await this.checkOnly(inputs);
    if (checked.failures.length > 0) throw new CheckFailedError(checked.failures);
    return this.host.diff(this.state.id, this.urn, this.state.outputs, checked.inputs, this.state.inputs);
  }

  /**
   * register is `pulumi up` for this resource: check, then create, or diff then update or
   * replace. `ignoreChanges` is the resource option: as the engine does before Check, each
   * named input takes its value from the state's inputs.
   */
  async register(inputs: Props, options: { ignoreChanges?: string[] } = {}): Promise<UpStep> {
    const ignored = this.state === null ? {} : Object.fromEntries((options.ignoreChanges ?? []).filter((k) => k in this.state!.inputs).map((k) => [k, this.state!.inputs[k]]));
    const checked = await this.checkOnly({ ...inputs, ...ignored });
    if (checked.failures.length > 0) throw new CheckFailedError(checked.failures);
    const news = checked.inputs;
    if (!this.state) {
      const created = await this.host.create(this.urn, news).catch((err: unknown) => {
        // The resource exists but is not fully applied: the engine keeps it, and the next up updates it.
        if (err instanceof HostError && err.initFailed) this.state = { id: err.initFailed.id, inputs: news, outputs: err.initFailed.properties };
        throw err;
      });
      this.state = { id: created.id, inputs: news, outputs: created.properties };
      return "create";
    }
    const diff = await this.host.diff(this.state.id, this.urn, this.state.outputs, news, this.state.inputs);
    if (diff.replaces.length > 0) {
      const old = this.state;
      if (diff.deleteBeforeReplace) await this.host.delete(old.id, this.urn, old.outputs, old.inputs);
      const created = await this.host.create(this.urn, news);
      this.state = { id: created.id, inputs: news, outputs: created.properties };
      if (!diff.deleteBeforeReplace) await this.host.delete(old.id, this.urn, old.outputs, old.inputs);
      return "replace";
    }
    if (diff.changes === "none") {
      // A "same" step keeps the old outputs and records the new inputs.
      this.state = { ...this.state, inputs: news };
      return "same";
    }
    const state = this.state;
    const updated = await this.host.update(state.id, this.urn, state.outputs, news, state.inputs).catch((err: unknown) => {
      if (err instanceof HostError && err.initFailed) this.state = { id: state.id, inputs: news, outputs: err.initFailed.properties };
      throw err;
    });
    this.state = { ...state, inputs: news, outputs: updated.properties };
    return "update";
  }

  /**
   * import is `pulumi import <type> <name> <id>` as the engine runs it (ImportStep):
   * Read with only the id (no state, no inputs), then Check with the inputs Read returned
   * as both olds and news; the checked inputs and the read outputs become the state.
   * Check failures are returned (the engine prints them as warnings and imports anyway).
   */
  async import(id: string): Promise<CheckFailure[]> {
    const read = await this.host.read(id, this.urn, {});
    if (!read.id && Object.keys(read.properties).length === 0) throw new Error(`resource '${id}' does not exist`);
    if (read.inputs === undefined) throw new Error("provider does not support importing resources");
    const checked = await this.host.check(this.urn, read.inputs, read.inputs);
    this.state = { id: read.id || id, inputs: checked.inputs, outputs: read.properties };
    return checked.failures;
  }

  /**
   * importAs is a resource declared with the `import: id` resource option, as `pulumi up`
   * runs it: Read with only the id, Check of the program's inputs against what Read
   * returned, then Diff; the resource enters the state as read (an update follows only if
   * the diff has changes). Returns the diff.
   */
  async importAs(id: string, inputs: Props): Promise<DiffResult> {
    const read = await this.host.read(id, this.urn, {});
    if (!read.id || read.inputs === undefined) throw new Error(`resource '${id}' does not exist`);
    const checked = await this.host.check(this.urn, read.inputs, this.withProvider(inputs));
    if (checked.failures.length > 0) throw new CheckFailedError(checked.failures);
    const diff = await this.host.diff(read.id, this.urn, read.properties, checked.inputs, read.inputs);
    this.state = { id: read.id, inputs: checked.inputs, outputs: read.properties };
    return diff;
  }

  /** forget is a resource with `retainOnDelete: true` leaving the program: the engine drops its state and never calls Delete. */
  forget(): void {
    this.state = null;
  }

  /** refresh is `pulumi refresh`: Read; an empty id means the resource is gone and leaves the state. */
  async refresh(): Promise<ResourceState | null> {
    if (!this.state) throw new Error("refresh needs a created resource");
    const read = await this.host.read(this.state.id, this.urn, this.state.outputs, this.state.inputs);
    if (!read.id) {
      this.state = null;
      return null;
    }
    this.state = { id: read.id, inputs: read.inputs ?? this.state.inputs, outputs: read.properties };
    return this.state;
  }

  /** destroy is `pulumi destroy` for this resource. */
  async destroy(): Promise<void> {
    if (!this.state) throw new Error("destroy needs a created resource");
    await this.host.delete(this.state.id, this.urn, this.state.outputs, this.state.inputs);
    this.state = null;
  }
}
