/** `deno.json` (JSR) and `package.json` (npm) publish the same package: see scripts/manifest.ts. */
import assert from "node:assert/strict";
import { manifestProblems, syncedDenoJson } from "../scripts/manifest.ts";

const read = async (name: string) => JSON.parse(await Deno.readTextFile(new URL(`../${name}`, import.meta.url)));

Deno.test("deno.json agrees with package.json: name, version, exports over the same source, core's range", async () => {
  const [pkg, deno] = await Promise.all([read("package.json"), read("deno.json")]);
  assert.deepEqual(manifestProblems(pkg, deno), []);
  assert.deepEqual(Object.keys(deno.exports), [".", "./api"]);
  assert.equal(deno.imports["@pintoken/core"], `npm:@pintoken/core@^${pkg.version}`);
  assert.equal(deno.imports["@pintoken/deno/api"], deno.exports["./api"]);
});

Deno.test("every difference is reported, and --write's result has none", async () => {
  const pkg = await read("package.json");
  const stale = {
    name: "@pintoken/other",
    version: "0.0.1-stale",
    exports: { ".": "./src/main.ts", "./extra": "./src/extra.ts" },
    imports: { "@pintoken/core": "npm:@pintoken/core@^0.0.1-stale", "@pintoken/deno": "./src/main.ts" },
  };
  const problems = manifestProblems(pkg, stale);
  const fields = ["name", "version", 'exports["."]', 'exports["./api"]', 'exports["./extra"]'];
  fields.push('imports["@pintoken/core"]', 'imports["@pintoken/deno"]', 'imports["@pintoken/deno/api"]');
  assert.equal(problems.length, fields.length, problems.join("\n"));
  for (const field of fields)
    assert.ok(
      problems.some((p) => p.startsWith(field)),
      `${field} is reported`,
    );
  assert.deepEqual(manifestProblems(pkg, syncedDenoJson(pkg, stale)), []);
});

Deno.test("after a version bump, the synced deno.json asks for the same core release and keeps its own fields", async () => {
  const [pkg, deno] = await Promise.all([read("package.json"), read("deno.json")]);
  const bumped = { ...pkg, version: "12.3.4" };
  assert.notDeepEqual(manifestProblems(bumped, deno), []);
  const synced = syncedDenoJson(bumped, deno);
  assert.deepEqual(manifestProblems(bumped, synced), []);
  assert.equal(synced.version, "12.3.4");
  assert.equal(synced.imports?.["@pintoken/core"], "npm:@pintoken/core@^12.3.4");
  const { version: _, imports: __, ...rest } = deno;
  const { version: ___, imports: ____, ...syncedRest } = synced;
  assert.deepEqual(syncedRest, rest, "unstable, compilerOptions, lint, test and publish are kept");
});
