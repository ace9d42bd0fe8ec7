import { openapiFilter } from "openapi-format";
import type { Doc } from "./document.ts";
import { clone } from "./document.ts";

/** An openapi-format filter set (see spec/filter.yaml). */
export type FilterSet = Record<string, unknown>;

/** Filter-set keys that choose operations; `--all` ignores them and keeps every operation. */
const operationSelectors = [
  "methods",
  "inverseMethods",
  "tags",
  "inverseTags",
  "operationIds",
  "inverseOperationIds",
  "operations",
  "flags",
  "inverseFlags",
  "flagValues",
  "inverseFlagValues",
];

/**
 * Keeps the operations named by the filter set and the components they reach, including schemas reached only
 * through a discriminator mapping (openapi-format follows `discriminator.mapping` values as references). With `all`,
 * keeps every operation and drops only unreachable components. Afterwards drops the top-level tags and the security
 * schemes no kept operation uses, which openapi-format leaves in place.
 */
export async function filterOperations(doc: Doc, filterSet: FilterSet, { all = false } = {}): Promise<Doc> {
  const set = all
    ? Object.fromEntries(Object.entries(filterSet).filter(([key]) => !operationSelectors.includes(key)))
    : filterSet;
  const wanted = all ? [] : ((filterSet.inverseOperationIds as string[] | undefined) ?? []);
  const { data } = await openapiFilter(clone(doc), { filterSet: set });
  const result = data as Doc;
  const found = new Set(operationIds(result));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length) {
    throw new Error(
      `The upstream description has no operation ${missing.map((id) => `"${id}"`).join(", ")}. ` +
        "Pinterest renamed or removed it: update spec/filter.yaml (and the code that calls it).",
    );
  }
  return dropUnusedTagsAndSecuritySchemes(result);
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Operation = { operationId?: string; tags?: string[]; security?: Record<string, unknown>[] };

/** Every operation of a document, in path order. */
export function operations(doc: Doc): { method: string; path: string; operation: Operation }[] {
  const out: { method: string; path: string; operation: Operation }[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, Operation>>)) {
    for (const method of methods) {
      const operation = item?.[method];
      if (operation) out.push({ method, path, operation });
    }
  }
  return out;
}

/** Every operationId in a document, in path order. */
export function operationIds(doc: Doc): string[] {
  return operations(doc).flatMap(({ operation }) => (operation.operationId ? [operation.operationId] : []));
}

/** Removes top-level tags no operation uses and security schemes no security requirement names. */
function dropUnusedTagsAndSecuritySchemes(doc: Doc): Doc {
  const ops = operations(doc).map((o) => o.operation);
  const usedTags = new Set(ops.flatMap((op) => op.tags ?? []));
  const requirements = [
    ...((doc.security ?? []) as Record<string, unknown>[]),
    ...ops.flatMap((op) => op.security ?? []),
  ];
  const usedSchemes = new Set(requirements.flatMap((requirement) => Object.keys(requirement)));
  if (Array.isArray(doc.tags)) doc.tags = (doc.tags as { name: string }[]).filter((tag) => usedTags.has(tag.name));
  const components = doc.components as { securitySchemes?: Record<string, unknown> } | undefined;
  if (components?.securitySchemes) {
    components.securitySchemes = Object.fromEntries(
      Object.entries(components.securitySchemes).filter(([name]) => usedSchemes.has(name)),
    );
  }
  return doc;
}
