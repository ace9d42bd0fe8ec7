/**
 * The packages table of the root README: each publishable package's name, what it is (its package.json
 * description), its install line (the first one its README gives) and its size, minified and gzipped:
 *
 * - `@pintoken/core`: the browser-safe part, as core's size test measures it (its largest budgeted entry: the OAuth
 *   client, token manager, memory store and authorized fetch, dependencies included);
 * - `@pintoken/react`: what it adds to a client bundle, as its size test measures it (core's parts included);
 * - the server-side packages: their own code (the main entry's build, dependencies and peers left out).
 *
 * `pnpm sizes` (after `pnpm build`) writes the table between the README's markers; `sizes.test.ts` fails when a
 * figure in the README is more than 2% off, or any other cell differs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { bundleSize, coreBudgets } from "../../../packages/core/test/bundle-size.ts";
import { measureClientSize } from "../../../packages/react/scripts/size.ts";
import { publishablePackages, readManifest, repoRoot, type WorkspacePackage } from "./workspace.ts";

export const readmePath: string = join(repoRoot, "README.md");
const start = "<!-- packages:start (pnpm sizes writes this table) -->";
const end = "<!-- packages:end -->";

/** One row of the table. */
export interface PackageRow {
  name: string;
  link: string;
  description: string;
  install: string;
  /** Minified + gzipped bytes. */
  bytes: number;
}

/** The min+gzip bytes of a package's own code: its main entry's build, dependencies and peers external. */
async function ownCodeSize({ dir }: WorkspacePackage): Promise<number> {
  const manifest = readManifest(dir);
  const external = [
    ...Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).flatMap((name) => [name, `${name}/*`]),
    ...builtinModules,
    "node:*",
  ];
  const result = await build({
    entryPoints: [join(dir, "dist/index.js")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "es2022",
    external,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).byteLength;
}

async function sizeOf(pkg: WorkspacePackage): Promise<number> {
  if (pkg.name === "@pintoken/react") return (await measureClientSize()).gzipped;
  if (pkg.name === "@pintoken/core") {
    const browserSafe = [...coreBudgets].sort((a, b) => b.budget - a.budget)[0];
    if (!browserSafe) throw new Error("packages/core/test/bundle-size.ts has no budgets.");
    return (await bundleSize(browserSafe.entry, pkg.dir)).gzipped;
  }
  return ownCodeSize(pkg);
}

/** The first install line of a package's README (`pnpm add …` or `npm i …`), without its comment. */
function installLine(dir: string): string {
  const line = /^(?:pnpm add|npm i) .*$/m.exec(readFileSync(join(dir, "README.md"), "utf8"))?.[0];
  if (!line) throw new Error(`${dir}/README.md has no \`pnpm add …\` or \`npm i …\` line.`);
  return line.replace(/\s+#.*$/, "").trim();
}

/** Measures every publishable package (their builds must exist: `pnpm build`). */
export async function measureRows(): Promise<PackageRow[]> {
  return Promise.all(
    publishablePackages().map(async (pkg) => ({
      name: pkg.name,
      link: relative(repoRoot, pkg.dir),
      description: readManifest(pkg.dir).description ?? "",
      install: installLine(pkg.dir),
      bytes: await sizeOf(pkg),
    })),
  );
}

const header = ["| package | what it is | install | min+gzip |", "| --- | --- | --- | ---: |"];

/** The table as Markdown, between its markers. */
export function renderTable(rows: readonly PackageRow[]): string {
  const lines = rows.map(
    (row) =>
      `| [\`${row.name}\`](${row.link}) | ${row.description} | \`${row.install}\` | ${row.bytes.toLocaleString("en-US")} B |`,
  );
  return [start, ...header, ...lines, end].join("\n");
}

/** The rows of the table in the README, as written (sizes parsed back to bytes). */
export function readmeRows(readme: string): PackageRow[] {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no packages table between "${start}" and "${end}".`);
  return readme
    .slice(from + start.length, to)
    .trim()
    .split("\n")
    .slice(header.length)
    .map((line) => {
      const match = /^\| \[`(.+?)`\]\((.+?)\) \| (.*) \| `(.+)` \| ([\d,]+) B \|$/.exec(line);
      if (!match) throw new Error(`README.md: a packages table row does not read as pnpm sizes writes it: ${line}`);
      const [, name = "", link = "", description = "", install = "", bytes = ""] = match;
      return { name, link, description, install, bytes: Number(bytes.replaceAll(",", "")) };
    });
}

/** The README with its packages table replaced by `rows`. */
export function withTable(readme: string, rows: readonly PackageRow[]): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no packages table between "${start}" and "${end}".`);
  return `${readme.slice(0, from)}${renderTable(rows)}${readme.slice(to + end.length)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await measureRows();
  writeFileSync(readmePath, withTable(readFileSync(readmePath, "utf8"), rows));
  for (const row of rows) process.stdout.write(`${row.name}: ${row.bytes} B min+gzip\n`);
}
