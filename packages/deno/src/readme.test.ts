/** Every TypeScript block of the README type-checks against the current API (`deno check`). */
import assert from "node:assert/strict";
import { readmeExamples, writeExamples } from "@pintoken/readme-check/extract";
import { denoCommand, packageDir } from "../test/deno-command.ts";

const scratch = `${packageDir}.readme-snippets`;

/** Names the README's examples use without defining them, as a reader would have them. */
const prelude = `declare global {
  const code: string;
  const userId: string;
}
export {};
`;

Deno.test("every code example in the README type-checks", async () => {
  const examples = readmeExamples(await Deno.readTextFile(`${packageDir}README.md`));
  assert.ok(examples.length >= 4, "the README has examples");
  try {
    const files = writeExamples(scratch, examples, prelude);
    // The package's settings, except that an example may declare what it does not use.
    const config = JSON.parse(await Deno.readTextFile(`${packageDir}deno.json`));
    config.compilerOptions = { ...config.compilerOptions, noUnusedLocals: false };
    // The package's own entry points, by name, from the scratch directory one level down.
    for (const [name, target] of Object.entries<string>(config.imports))
      if (target.startsWith("./")) config.imports[name] = `.${target}`;
    await Deno.writeTextFile(`${scratch}/deno.json`, JSON.stringify(config));
    const { code, stderr } = await denoCommand([
      "check",
      "--quiet",
      `--config=${scratch}/deno.json`,
      "--conditions=@pintoken/source",
      `${scratch}/prelude.d.ts`,
      ...files,
    ]).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
