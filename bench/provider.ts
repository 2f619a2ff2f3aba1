import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { operations } from "../provider/index.js";
import { initWorkspace, seedMembers } from "../server/admin.js";
import { startServer } from "../server/index.js";

/**
 * The provider benchmark: a WorkspaceAccess over a 10,000-member workspace (reference
 * server on loopback, SQLite in a temp folder), through the same `operations` the
 * dynamic-provider host calls: check (a new resource plans with the rails), create,
 * refresh (read) and diff. For each step: wall time and the API reads it made (counted
 * by a loopback proxy in front of the server). State bytes are the JSON the engine would
 * keep for the resource: its inputs (the document) and its outputs.
 * - `authoritative10000`: a document naming all 10,000 members (a converged adoption).
 * - `additive100of10000`: an additive document naming 100 of them (9,900 warnings, capped).
 * - `removeOnDelete10000`: as the first, with the applied record kept for destroy.
 */
export async function run(): Promise<Record<string, unknown>> {
  const members = 10_000;
  return withWorkspace(members, async (url, token, counter) => {
    const config = { get: (key: string) => ({ "antryk:apiUrl": url, "antryk:token": token })[key] };
    const emails = Array.from({ length: members }, (_, i) => `member${i}@bench.io`);
    const all = { owner: "owner@bench.io", members: emails.map((email) => ({ email, role: "developer" })) };
    const some = { owner: "owner@bench.io", mode: "additive", members: emails.slice(0, 100).map((email) => ({ email, role: "developer" })) };
    return {
      authoritative10000: await lifecycle(config, counter, { workspace: "bench", document: all }),
      additive100of10000: await lifecycle(config, counter, { workspace: "bench", document: some }),
      removeOnDelete10000: await lifecycle(config, counter, { workspace: "bench", document: all, removeOnDelete: true, adoptExisting: true }),
    };
  });
}

interface Counter {
  reads: number;
  writes: number;
}

async function lifecycle(config: { get(key: string): unknown }, counter: Counter, news: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ops = operations.workspaceAccess;
  const checked = await step(counter, () => ops.check({}, news, config));
  if (checked.value.failures.length > 0) throw new Error(`bench document fails check: ${JSON.stringify(checked.value.failures)}`);
  const inputs = checked.value.inputs;
  const created = await step(counter, () => ops.create(config, inputs));
  const outs = created.value.outs;
  const refreshed = await step(counter, () => ops.read(config, created.value.id, outs));
  const diffed = await step(counter, () => ops.diff(config, refreshed.value.props, inputs));
  return {
    check: checked.stats,
    create: created.stats,
    refresh: refreshed.stats,
    diff: { ...diffed.stats, changes: diffed.value.changes === true },
    stateBytes: {
      inputs: bytes(inputs),
      outputs: bytes(outs),
      total: bytes(inputs) + bytes(outs),
      // The outputs of the provider before issue 18 also held the document itself.
      documentNoLongerEchoed: bytes(inputs.document),
    },
    warningsKept: Array.isArray(outs.warnings) ? outs.warnings.length : 0,
    warningCount: outs.warningCount,
  };
}

/** step runs one provider call, timing it and counting its API calls; its diagnostic lines (stdout in the host) are kept out of the bench's JSON. */
async function step<T>(counter: Counter, body: () => Promise<T>): Promise<{ value: T; stats: { ms: number; reads: number; writes: number; logLines: number } }> {
  counter.reads = 0;
  counter.writes = 0;
  let logLines = 0;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    logLines += String(chunk).split("\n").filter((l) => l !== "").length;
    return true;
  }) as typeof process.stdout.write;
  const started = performance.now();
  try {
    const value = await body();
    return { value, stats: { ms: Math.round((performance.now() - started) * 10) / 10, reads: counter.reads, writes: counter.writes, logLines } };
  } finally {
    process.stdout.write = write;
  }
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null));

/** withWorkspace seeds a workspace and puts a counting loopback proxy in front of its server. */
async function withWorkspace<T>(members: number, work: (url: string, token: string, counter: Counter) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "antryk-bench-provider-"));
  const dbPath = join(dir, "workspace.db");
  try {
    const token = initWorkspace(dbPath, { workspace: "bench", owner: "owner@bench.io" });
    seedMembers(dbPath, { workspace: "bench", emails: Array.from({ length: members }, (_, i) => `member${i}@bench.io`) });
    const server = await startServer({ dbPath, rateLimit: false });
    const target = new URL(server.url);
    const counter: Counter = { reads: 0, writes: 0 };
    const proxy = createServer((req, res) => {
      if (req.method === "GET") counter.reads += 1;
      else counter.writes += 1;
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      return await work(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, token, counter);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
