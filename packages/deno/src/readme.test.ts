/** Every TypeScript block of the README that imports something type-checks against the current API (`deno check`). */
import assert from "node:assert/strict";
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
  const readme = await Deno.readTextFile(`${packageDir}README.md`);
  const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? "")
    .filter((block) => /^import /m.test(block));
  assert.ok(examples.length >= 2, "the README has examples");
  await Deno.remove(scratch, { recursive: true }).catch(() => undefined);
  await Deno.mkdir(scratch);
  try {
    await Deno.writeTextFile(`${scratch}/prelude.d.ts`, prelude);
    // The package's settings, except that an example may declare what it does not use.
    const config = JSON.parse(await Deno.readTextFile(`${packageDir}deno.json`));
    config.compilerOptions = { ...config.compilerOptions, noUnusedLocals: false };
    // The package's own entry points, by name, from the scratch directory one level down.
    for (const [name, target] of Object.entries<string>(config.imports))
      if (target.startsWith("./")) config.imports[name] = `.${target}`;
    await Deno.writeTextFile(`${scratch}/deno.json`, JSON.stringify(config));
    const files = await Promise.all(
      examples.map(async (example, i) => {
        const file = `${scratch}/example-${i + 1}.ts`;
        await Deno.writeTextFile(file, `/// <reference types="./prelude.d.ts" />\n${example}\nexport {};\n`);
        return file;
      }),
    );
    const { code, stderr } = await denoCommand([
      "check",
      "--quiet",
      `--config=${scratch}/deno.json`,
      "--conditions=@pintoken/source",
      ...files,
    ]).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
});
