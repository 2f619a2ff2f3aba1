import { PACKAGE, PROVIDER_CONFIG, RESOURCES, tokenOf, type PropertySpec, type ResourceKindName } from "./spec.js";

/**
 * pulumiSchema is the Pulumi package schema of the native provider, generated from the
 * one description in spec.ts: what GetSchema answers, what `pulumi package gen-sdk`
 * generates SDKs from, and what the registry renders as docs. schema/pulumi/schema.json
 * is this value, checked in (test/provider/native/schema.test.ts keeps them equal and
 * validates it against Pulumi's package metaschema).
 */

type Json = Record<string, unknown>;

function property(spec: PropertySpec): Json {
  const { secret, ...rest } = spec;
  return secret === true ? { ...rest, secret: true } : { ...rest };
}

function properties(specs: Record<string, PropertySpec>): Json {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, property(spec)]));
}

function resource(kind: ResourceKindName): Json {
  const spec = RESOURCES[kind];
  const marked = Object.entries(properties(spec.inputs)).map(([name, p]) => [name, spec.replaceOnChanges.includes(name) ? { ...(p as Json), replaceOnChanges: true } : p]);
  const inputs: Json = Object.fromEntries(marked);
  // `document` is an input only: the state keeps its digest (contentDigest), never the document.
  const echoed = Object.fromEntries(Object.entries(inputs).filter(([name]) => name !== "document"));
  return {
    description: spec.description,
    inputProperties: inputs,
    requiredInputs: spec.requiredInputs,
    properties: { ...echoed, ...properties(spec.outputs) },
    required: spec.requiredInputs,
  };
}

/** pulumiSchema builds the package schema for `version` (the antryk-access package version). */
export function pulumiSchema(version: string): Json {
  const config = properties(PROVIDER_CONFIG);
  return {
    name: PACKAGE,
    displayName: "Antryk Access",
    version,
    description: "Access as code for Antryk workspaces: members, invitations and custom roles, planned and applied with safety rails by the antryk-access engine.",
    keywords: ["pulumi", "antryk", "access", "category/utility", "kind/native"],
    license: "Apache-2.0",
    config: { variables: config },
    provider: {
      description: "The provider of Antryk workspace access. Without an explicit instance, the default provider reads the stack config `antryk:apiUrl` and the secret `antryk:token`. Give each workspace its own instance (a token belongs to one workspace) and pass it as the `provider` resource option.",
      inputProperties: config,
      properties: config,
    },
    resources: Object.fromEntries((Object.keys(RESOURCES) as ResourceKindName[]).map((kind) => [tokenOf(kind), resource(kind)])),
    language: {
      nodejs: { packageName: "@antryk/pulumi-antryk", dependencies: { "@pulumi/pulumi": "^3.0.0" } },
      python: { packageName: "pulumi_antryk", requires: { pulumi: ">=3.0.0,<4.0.0" } },
      go: { importBasePath: "github.com/antryk/antryk-access/sdk/go/antryk" },
      csharp: { rootNamespace: "Antryk", packageReferences: { Pulumi: "3.*" } },
    },
  };
}
