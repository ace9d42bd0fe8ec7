/**
 * `pnpm generate` (in packages/cli): writes src/generated/operations.gen.ts, the runtime list of every operation of
 * spec/openapi.yaml that `pintoken api` validates a request against (method, path, its parameters, whether it takes a
 * body, whether Pinterest pages it with a `bookmark`). It reads the operations the way the mock's generator does
 * (`describeOperations`), so the CLI and the mock serve one list. `--check` fails when the file is stale.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeOperations } from "../../../spec/scripts/lib/codegen-mock.ts";
import { emitFiles } from "../../../spec/scripts/lib/generated.ts";
import { layout } from "../../../spec/scripts/lib/paths.ts";
import { loadDocument } from "../../codegen/src/document.ts";

const paths = layout();
const check = process.argv.includes("--check");
const out = join(fileURLToPath(new URL("..", import.meta.url)), "src", "generated", "operations.gen.ts");

const operations = describeOperations(await loadDocument(paths.openapi)).map((op) => {
  const named = (where: string) => op.parameters.filter((p) => p.in === where);
  const query = named("query");
  const isArray = (schema: unknown) => (schema as { type?: unknown } | undefined)?.type === "array";
  return [
    op.method,
    op.path,
    String(op.operationId),
    {
      query: query.map((p) => String(p.name)),
      ...(query.some((p) => p.required) ? { requiredQuery: query.filter((p) => p.required).map((p) => p.name) } : {}),
      ...(query.some((p) => isArray(p.schema))
        ? { arrays: query.filter((p) => isArray(p.schema)).map((p) => p.name) }
        : {}),
      ...(op.requestBody ? { body: op.requestBody.contentTypes } : {}),
      ...(userScopes(op.security).length ? { scopes: userScopes(op.security) } : {}),
      ...(op.method === "GET" && query.some((p) => p.name === "bookmark") ? { paged: true } : {}),
    },
  ];
});

/** The scopes a user token needs for an operation (its `pinterest_oauth2` requirement). */
function userScopes(security: unknown): string[] {
  const requirements = (security ?? []) as Record<string, string[]>[];
  return requirements.find((requirement) => requirement.pinterest_oauth2)?.pinterest_oauth2 ?? [];
}

const content = `/**
 * Every operation of the Pinterest description, for \`pintoken api\`: [method, path, operationId, details].
 *
 * Generated from spec/openapi.yaml by packages/cli/scripts/generate-operations.ts: do not edit.
 * Change packages/codegen/overlay.yaml or run \`pnpm spec:update <file-or-url>\`, then \`pnpm generate\`.
 */
import type { OperationRow } from "../operation-row.ts";

/** ${operations.length} operations, in spec order. JSON: cheaper to load and type-check than a literal. */
export const operationRows: readonly OperationRow[] = JSON.parse(${JSON.stringify(JSON.stringify(operations))});
`;

const { changed } = await emitFiles([{ path: out, content }], { check, root: paths.root });
console.log(check ? "cli: generated files are up to date" : `cli: ${changed.length} generated file(s) written`);
