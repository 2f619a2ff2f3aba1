import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The loader's benchmark: generated access files of 1,000 / 10,000 / 100,000 members
 * (custom roles, groups, grants, comments, expiring contractors) validated by
 * loadAccessFile, each size in a fresh Node process so its peak RSS is its own.
 * Target: 100,000 members in under 3 s and 500 MB. No API calls. Beside the 100,000-member
 * row, `yaml_only_100000` reads the same file with the general `yaml` parser alone (then the
 * same validation): what the fast parser saves, and what validate would cost without it.
 */

const SIZES = [1_000, 10_000, 100_000];

/** generateAccessFile writes a realistic, valid access file of `members` people. */
export function generateAccessFile(members: number): string {
  const out: string[] = [
    "# yaml-language-server: $schema=../schema/access.schema.json",
    "version: 1",
    "workspace: bench-prod",
    "owner: founder@bench.io",
    "safety:",
    "  maxRemovals: 5%",
    "  minAdmins: 2",
    "  requiredAdmins: [admin-0@bench.io]",
    "roles:",
    "  release-manager:",
    "    description: Ships services to production",
    "    permissions: [deployments:read, deployments:create, logs:read, environments:configure]",
    "  support:",
    "    permissions: [deployments:read, logs:read]",
    "groups:",
  ];
  const grouped = Math.floor(members / 5);
  for (let g = 0; g < 10; g++) {
    out.push(`  team-${g}:`, "    role: developer", "    permissions: [environments:configure]", "    members:");
    for (let i = g; i < grouped; i += 10) out.push(`      - grouped-${i}@bench.io`);
  }
  out.push("members:");
  for (let i = 0; i < members - grouped; i++) {
    const role = i < 10 ? "account-admin" : i % 7 === 0 ? "release-manager" : i % 11 === 0 ? "support" : "developer";
    out.push(`  - email: ${i < 10 ? `admin-${i}` : `person-${i}`}@bench.io${i % 100 === 0 ? "   # team lead" : ""}`, `    role: ${role}`);
    if (role === "developer" && i % 5 === 0) out.push("    permissions: [domains:manage]");
    if (i % 97 === 0 && i >= 10) out.push("    expires: 2099-12-31");
  }
  return out.join("\n") + "\n";
}

interface Measure {
  coldMs: number;
  /** CPU time of the cold run (user + system, GC threads included): what it costs on an idle core. */
  coldCpuMs: number;
  warmMs: number;
  peakRssMb: number;
  heapDeltaMb: number;
  valid: boolean;
  diagnostics: number;
}

/** Parser is how the child reads the file: loadAccessFile as shipped, or `yaml` alone then the same validation. */
type Parser = "shipped" | "yaml-only";

function measureInChild(file: string, parser: Parser): Promise<Measure> {
  const load = new URL("../schema/load.js", import.meta.url).href;
  const parseText = new URL("../schema/source/parse-text.js", import.meta.url).href;
  const loader = (() => {
    switch (parser) {
      case "shipped":
        return `const { loadAccessFile } = await import(${JSON.stringify(load)});`;
      case "yaml-only":
        return `
    const { validateAccessDocument } = await import(${JSON.stringify(load)});
    const { parseWithYaml } = await import(${JSON.stringify(parseText)});
    const { readFile } = await import("node:fs/promises");
    const loadAccessFile = async (path) => {
      const parsed = parseWithYaml(await readFile(path, "utf8"), path);
      return parsed.ok ? validateAccessDocument(parsed.value, path) : { desired: null, diagnostics: parsed.diagnostics };
    };`;
    }
  })();
  const script = `
    ${loader}
    const heap0 = process.memoryUsage().heapUsed;
    const cpu0 = process.cpuUsage();
    let t = performance.now();
    const first = await loadAccessFile(${JSON.stringify(file)});
    const coldMs = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const coldCpuMs = (cpu.user + cpu.system) / 1000;
    const heapDeltaMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    t = performance.now();
    await loadAccessFile(${JSON.stringify(file)});
    const warmMs = performance.now() - t;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ coldMs, coldCpuMs, warmMs, peakRssMb, heapDeltaMb, valid: first.desired !== null, diagnostics: first.diagnostics.length }));
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", script], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`bench child failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as Measure);
    });
  });
}

/** run generates the three files and measures each; results are in ms and MiB. */
export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "antryk-bench-validate-"));
  try {
    const results: Record<string, unknown> = {};
    const rows: [name: string, members: number, parser: Parser][] = [
      ...SIZES.map((members): [string, number, Parser] => [`members_${members}`, members, "shipped"]),
      [`yaml_only_${SIZES.at(-1)!}`, SIZES.at(-1)!, "yaml-only"],
    ];
    for (const [name, members, parser] of rows) {
      const file = join(dir, `access-${members}.yaml`);
      writeFileSync(file, generateAccessFile(members));
      const m = await measureInChild(file, parser);
      const round = (n: number) => Math.round(n * 10) / 10;
      results[name] = {
        members,
        parser,
        fileMb: round(statSync(file).size / 2 ** 20),
        validateColdMs: round(m.coldMs),
        validateColdCpuMs: round(m.coldCpuMs),
        validateWarmMs: round(m.warmMs),
        peakRssMb: round(m.peakRssMb),
        heapDeltaMb: round(m.heapDeltaMb),
        valid: m.valid,
        diagnostics: m.diagnostics,
        apiCalls: 0,
      };
    }
    return { validate: results, target: { members: 100_000, maxMs: 3000, maxRssMb: 500 } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
