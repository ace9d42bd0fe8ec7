/** `deno.json` (JSR) and `package.json` (npm) publish the same package: see scripts/manifest.ts. */
import assert from "node:assert/strict";
import { expectedDenoJson, manifestProblems } from "../scripts/manifest.ts";

const read = async (name: string) => JSON.parse(await Deno.readTextFile(new URL(`../${name}`, import.meta.url)));

Deno.test("deno.json agrees with package.json: name, version, exports over the same source, core's range", async () => {
  const [pkg, deno] = await Promise.all([read("package.json"), read("deno.json")]);
  assert.deepEqual(manifestProblems(pkg, deno), []);
  assert.deepEqual(Object.keys(deno.exports), ["."]);
  assert.equal(deno.imports["@pintoken/core"], `npm:@pintoken/core@^${pkg.version}`);
});

Deno.test("every difference is reported, and --write's result has none", async () => {
  const pkg = await read("package.json");
  const stale = {
    name: "@pintoken/other",
    version: "0.0.1-stale",
    exports: { ".": "./src/main.ts", "./extra": "./src/extra.ts" },
    imports: { "@pintoken/core": "npm:@pintoken/core@^0.0.1-stale" },
  };
  const problems = manifestProblems(pkg, stale);
  assert.equal(problems.length, 5, problems.join("\n"));
  for (const field of ["name", "version", 'exports["."]', 'exports["./extra"]', 'imports["@pintoken/core"]'])
    assert.ok(
      problems.some((p) => p.startsWith(field)),
      `${field} is reported`,
    );
  assert.deepEqual(manifestProblems(pkg, { ...stale, ...expectedDenoJson(pkg) }), []);
});
