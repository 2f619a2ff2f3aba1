// The other end of the serialization round trip: a fresh Node process, started in a
// program folder that is not this repository, re-creates a provider from the text
// Pulumi serialized (as the dynamic-provider host does, with require-from-string) and
// runs check, create and read with it. Credentials come from ANTRYK_API_URL and
// ANTRYK_TOKEN in this process's environment.
// usage: node roundtrip-child.cjs <require-from-string path> <provider text file> <inputs JSON>
"use strict";
const fs = require("node:fs");

async function main() {
  const [requireFromStringPath, textFile, inputsJson] = process.argv.slice(2);
  const requireFromString = require(requireFromStringPath);
  const provider = requireFromString(fs.readFileSync(textFile, "utf8")).handler();
  const inputs = JSON.parse(inputsJson);
  const checked = await provider.check({}, inputs);
  if (checked.failures && checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const created = await provider.create(checked.inputs);
  const read = await provider.read(created.id, created.outs);
  process.stdout.write(`\n${JSON.stringify({ cwd: process.cwd(), created, read })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err && err.message}\n`);
  process.exitCode = 1;
});
