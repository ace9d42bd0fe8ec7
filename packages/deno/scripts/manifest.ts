/**
 * Keeps `deno.json` (what JSR publishes) in step with `package.json` (what npm publishes): the same name and version,
 * the same entry points over the same TypeScript source, core imported from npm at this release's version (all
 * `@pintoken/*` packages are released together), and each entry point importable by its name in this repository's
 * examples and tests (`"@pintoken/deno/api": "./src/api.ts"`).
 *
 * `deno run --allow-read scripts/manifest.ts` fails with every difference; `--write` (with `--allow-write`) fixes
 * `deno.json` from `package.json`, e.g. after `changeset version` bumped the version (`pnpm --filter @pintoken/deno
 * sync:manifest` runs it, then Biome's formatter over the file).
 */

interface PackageJson {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
}

interface DenoJson {
  name?: string;
  version?: string;
  exports?: string | Record<string, string>;
  imports?: Record<string, string>;
  [field: string]: unknown;
}

/** The fields of `deno.json` that follow from `package.json`. */
interface DerivedFields {
  name: string;
  version: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
}

/** What `deno.json` must say, derived from `package.json`. */
export function expectedDenoJson(pkg: PackageJson): DerivedFields {
  const exports: Record<string, string> = {};
  const imports: Record<string, string> = {};
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (name.startsWith("@pintoken/")) imports[name] = `npm:${name}@^${pkg.version}`;
  }
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (subpath === "./package.json") continue;
    const source = typeof target === "string" ? undefined : target["@pintoken/source"];
    if (!source) throw new Error(`package.json exports["${subpath}"] has no "@pintoken/source" condition.`);
    exports[subpath] = source;
    imports[`${pkg.name}${subpath.slice(1)}`] = source;
  }
  return { name: pkg.name, version: pkg.version, exports, imports };
}

/** `deno.json` with the fields that follow from `package.json` replaced, and everything else as it was. */
export function syncedDenoJson(pkg: PackageJson, deno: DenoJson): DenoJson {
  const expected = expectedDenoJson(pkg);
  return { ...deno, ...expected, imports: { ...deno.imports, ...expected.imports } };
}

/** Every way `deno.json` differs from `package.json`, as sentences; empty when they agree. */
export function manifestProblems(pkg: PackageJson, deno: DenoJson): string[] {
  const expected = expectedDenoJson(pkg);
  const problems: string[] = [];
  if (deno.name !== expected.name)
    problems.push(`name is ${JSON.stringify(deno.name)}, package.json says "${expected.name}"`);
  if (deno.version !== expected.version)
    problems.push(`version is ${JSON.stringify(deno.version)}, package.json says "${expected.version}"`);
  const exports: Record<string, string> =
    typeof deno.exports === "string" ? { ".": deno.exports } : (deno.exports ?? {});
  for (const subpath of new Set([...Object.keys(exports), ...Object.keys(expected.exports)])) {
    if (exports[subpath] !== expected.exports[subpath]) {
      problems.push(
        `exports["${subpath}"] is ${JSON.stringify(exports[subpath])}, package.json's source for it is ${JSON.stringify(expected.exports[subpath])}`,
      );
    }
  }
  for (const [name, specifier] of Object.entries(expected.imports)) {
    if (deno.imports?.[name] !== specifier)
      problems.push(`imports["${name}"] is ${JSON.stringify(deno.imports?.[name])}, expected "${specifier}"`);
  }
  return problems;
}

if (import.meta.main) {
  const dir = new URL("..", import.meta.url);
  const pkg = JSON.parse(await Deno.readTextFile(new URL("package.json", dir))) as PackageJson;
  const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", dir))) as DenoJson;
  if (Deno.args.includes("--write")) {
    const next = syncedDenoJson(pkg, deno);
    await Deno.writeTextFile(new URL("deno.json", dir), `${JSON.stringify(next, null, 2)}\n`);
    console.log("deno.json now matches package.json (format it with Biome: the sync:manifest script does).");
  } else {
    const problems = manifestProblems(pkg, deno);
    if (problems.length) {
      console.error(`deno.json (published to JSR) differs from package.json (published to npm):`);
      for (const problem of problems) console.error(`  - ${problem}`);
      console.error("Run `pnpm --filter @pintoken/deno sync:manifest` to update deno.json from package.json.");
      Deno.exit(1);
    }
    console.log("deno.json and package.json agree (name, version, exports, @pintoken imports).");
  }
}
