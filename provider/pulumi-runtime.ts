import type * as Pulumi from "@pulumi/pulumi";

/** PULUMI_MISSING is what `antryk-access/provider` says when its peer @pulumi/pulumi is not installed. */
export const PULUMI_MISSING =
  "antryk-access/provider needs @pulumi/pulumi (an optional peer dependency, ^3.248.0), which is not installed here: run `npm install @pulumi/pulumi` in your Pulumi program's project (the CLI does not need it)";

/**
 * loadPulumi imports @pulumi/pulumi at run time, so that a program without it gets
 * PULUMI_MISSING instead of a bare ERR_MODULE_NOT_FOUND; any other failure passes through.
 */
export async function loadPulumi(load: () => Promise<typeof Pulumi> = () => import("@pulumi/pulumi")): Promise<typeof Pulumi> {
  try {
    return await load();
  } catch (err) {
    const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
    if (code === "ERR_MODULE_NOT_FOUND" && typeof message === "string" && message.includes("'@pulumi/pulumi'")) {
      throw new Error(PULUMI_MISSING, { cause: err });
    }
    throw err;
  }
}
