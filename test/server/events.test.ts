import { afterEach, describe, expect, it } from "vitest";
import { startWorkspace, WORKSPACE, wsPath, type TestWorkspace } from "./harness.js";

/**
 * GET /v1/workspaces/{ws}/events over real HTTP: the same access control as the reads,
 * the same rate limiter, the current revision at once and each committed one after it,
 * heartbeats, the stream ending when its member is removed and when the server stops.
 */

let ws: TestWorkspace | undefined;
afterEach(async () => {
  await ws?.close();
  ws = undefined;
});

/** EventStream reads a server-sent event stream chunk by chunk; `until` waits for a condition on what arrived (no sleeps). */
class EventStream {
  text = "";
  done = false;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(readonly response: Response) {
    this.reader = response.body!.getReader();
  }

  /** revisions are the `data` revisions received so far. */
  get revisions(): number[] {
    return [...this.text.matchAll(/^data: (.*)$/gm)].map((m) => (JSON.parse(m[1]!) as { revision: number }).revision);
  }

  async until(condition: (s: EventStream) => boolean): Promise<void> {
    while (!condition(this)) {
      if (this.done) throw new Error(`the stream ended before the condition held; received:\n${this.text}`);
      const { value, done } = await this.reader.read();
      if (done) this.done = true;
      else this.text += this.decoder.decode(value, { stream: true });
    }
  }

  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

async function open(w: TestWorkspace, token: string | null = w.ownerToken, workspace = WORKSPACE): Promise<Response> {
  return fetch(`${w.url}/v1/workspaces/${workspace}/events`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

describe("the workspace event stream", () => {
  it.each([
    ["no token", () => null, WORKSPACE, 401],
    ["an unknown token", () => `ak_${"x".repeat(40)}`, WORKSPACE, 401],
    ["a workspace that does not exist", (w: TestWorkspace) => w.ownerToken, "elsewhere", 404],
  ])("refuses %s like a read (%s → %s)", async (_name, token, workspace, status) => {
    ws = await startWorkspace();
    const answer = await open(ws, token(ws), workspace);
    expect(answer.status).toBe(status);
    expect((await answer.json()).error.code).toBe(status === 401 ? "unauthorized" : "not_found");
  });

  it("serves any member (a developer reads it as it reads members), tells the current revision, then each committed one", async () => {
    ws = await startWorkspace();
    const { token } = await ws.addMember("dev@acme.io", "developer");
    const response = await open(ws, token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const stream = new EventStream(response);
    const start = (await ws.call("GET", wsPath())).body.revision as number;
    await stream.until((s) => s.revisions.length >= 1);
    expect(stream.revisions).toEqual([start]);
    expect((await ws.call("POST", wsPath("/invitations"), { body: { email: "new@acme.io", role: "developer" } })).status).toBe(201);
    await stream.until((s) => s.revisions.length >= 2);
    expect(stream.revisions).toEqual([start, start + 1]);
    expect(stream.text).toContain(`id: ${start + 1}\nevent: revision\n`);
    // a no-op changes nothing and tells nothing; the next change does
    await ws.call("PUT", wsPath("/roles/support"), { body: { permissions: ["logs:read"] } });
    await ws.call("PUT", wsPath("/roles/support"), { body: { permissions: ["logs:read"] } });
    await stream.until((s) => s.revisions.length >= 3);
    expect(stream.revisions).toEqual([start, start + 1, start + 2]);
    await stream.cancel();
  });

  it("goes through the rate limiter like every request", async () => {
    ws = await startWorkspace({ rateLimit: { perSecond: 0.001, burst: 1 } });
    const first = await open(ws);
    expect(first.status).toBe(200);
    await first.body!.cancel();
    const second = await open(ws);
    expect(second.status).toBe(429);
    expect((await second.json()).error.code).toBe("rate_limited");
  });

  it("counts against the per-address connection cap: a stream past it is answered 503", async () => {
    ws = await startWorkspace({ limits: { maxConnectionsPerAddress: 2 } });
    const streams = [new EventStream(await open(ws)), new EventStream(await open(ws))];
    await Promise.all(streams.map((s) => s.until((x) => x.revisions.length >= 1)));
    const third = await open(ws);
    expect(third.status).toBe(503);
    expect((await third.json()).error.code).toBe("unavailable");
    await Promise.all(streams.map((s) => s.cancel()));
  });

  it("sends heartbeats while nothing changes", async () => {
    ws = await startWorkspace({ eventHeartbeatMs: 20 });
    const stream = new EventStream(await open(ws));
    await stream.until((s) => (s.text.match(/^: heartbeat$/gm) ?? []).length >= 2);
    await stream.cancel();
  });

  it("ends the stream of a member who is removed", async () => {
    ws = await startWorkspace();
    const { member, token } = await ws.addMember("leaving@acme.io", "developer");
    const stream = new EventStream(await open(ws, token));
    await stream.until((s) => s.revisions.length >= 1);
    expect((await ws.call("DELETE", wsPath(`/members/${member.id}`))).status).toBe(204);
    await stream.until((s) => s.done);
    expect(stream.revisions).toHaveLength(1);
    expect((await open(ws, token)).status).toBe(401);
  });

  it("ends every stream when the server stops, and the stop does not wait for them", async () => {
    ws = await startWorkspace();
    const streams = [new EventStream(await open(ws)), new EventStream(await open(ws))];
    await Promise.all(streams.map((s) => s.until((x) => x.revisions.length >= 1)));
    await ws.server.close();
    for (const s of streams) await s.until((x) => x.done).catch(() => undefined);
    expect(streams.every((s) => s.done)).toBe(true);
  });
});
