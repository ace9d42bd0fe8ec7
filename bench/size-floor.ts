/**
 * How small could @pintoken/core's bundles get by cutting words alone? Bundles each budgeted entry twice with the
 * same function as the size test: as shipped, and with the text of every message emptied (each string or template
 * piece containing a space becomes empty; code, field names, grant types, scopes and URLs stay). What remains in the
 * second bundle is the code of the checks and guarantees themselves: the floor for any budget that keeps them.
 *
 * Run: `pnpm --filter @pintoken/bench run bench:size-floor`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import ts from "typescript";
import { bundleSize, coreBudgets } from "../packages/core/test/bundle-size.ts";

const here = fileURLToPath(new URL(".", import.meta.url));

/** `source` with the text of every message emptied (see the module's doc). */
export function withoutMessages(source: string, fileName: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    const at = (text: string) => edits.push({ start: node.getStart(), end: node.getEnd(), text });
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.includes(" ")) at('""');
    else if (ts.isTemplateHead(node)) at("`${");
    else if (ts.isTemplateMiddle(node)) at("}${");
    else if (ts.isTemplateTail(node)) at("}`");
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const { start, end, text } of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, start) + text + out.slice(end);
  return out;
}

const emptyMessages: Plugin = {
  name: "empty-messages",
  setup(build) {
    build.onLoad({ filter: /[\\/]packages[\\/]core[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: withoutMessages(readFileSync(args.path, "utf8"), args.path),
      loader: "ts",
    }));
  },
};

console.log("@pintoken/core, min+gzip (esbuild, minified, ES2022; gzip level 9)");
console.log(
  `  ${"entry".padEnd(64)} ${"as shipped".padStart(10)} ${"no messages".padStart(12)} ${"target".padStart(7)}`,
);
for (const { name, entry, target } of coreBudgets) {
  const shipped = await bundleSize(entry, here);
  const floor = await bundleSize(entry, here, [emptyMessages]);
  console.log(
    `  ${name.padEnd(64)} ${`${shipped.gzipped} B`.padStart(10)} ${`${floor.gzipped} B`.padStart(12)} ${`${target} B`.padStart(7)}`,
  );
}
