#!/usr/bin/env node
import { serve } from "./server.js";

/**
 * pulumi-resource-antryk: the native Pulumi provider plugin of antryk-access (a `bin`
 * of the package). The engine starts it with its own address as argument, reads the
 * port from the first line of stdout and drives it over gRPC until it ends it.
 */
const { port } = await serve(process.argv.slice(2));
process.stdout.write(`${port}\n`);
