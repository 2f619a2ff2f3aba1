import { Command } from "commander";
import { registerServe } from "./serve.js";
import { registerValidate } from "./validate.js";
import { registerPlan } from "./plan.js";
import { registerApply } from "./apply.js";
import { registerExport } from "./export.js";
import { registerReview } from "./review.js";
import { registerCompletion } from "./completion.js";
import { registerCi } from "./ci.js";

/** createProgram is the whole antryk-access command tree (commander wiring only, nothing parsed or run), for main.ts and for the completion tests. */
export function createProgram(version: string): Command {
  const program = new Command("antryk-access")
    .description("Access as code for Antryk workspaces: validate, plan and apply access.yaml.")
    .version(version)
    .exitOverride()
    .showHelpAfterError();
  registerPlan(program);
  registerApply(program);
  registerExport(program);
  registerReview(program);
  registerValidate(program);
  registerServe(program);
  registerCi(program);
  registerCompletion(program);
  return program;
}
