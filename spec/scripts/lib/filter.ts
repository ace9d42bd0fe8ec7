import { openapiFilter } from "openapi-format";
import type { Doc } from "./document.ts";
import { clone } from "./document.ts";

/** An openapi-format filter set (see spec/filter.yaml). */
export type FilterSet = Record<string, unknown>;

/**
 * Keeps the operations named by the filter set and the components they reach, including schemas reached only
 * through a discriminator mapping. With `all`, keeps every operation and drops only unreachable components.
 */
export async function filterOperations(doc: Doc, filterSet: FilterSet, { all = false } = {}): Promise<Doc> {
  const set = all ? { unusedComponents: filterSet.unusedComponents } : filterSet;
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
  return result;
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every operationId in a document, in path order. */
export function operationIds(doc: Doc): string[] {
  const ids: string[] = [];
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, { operationId?: string }>>)) {
    for (const method of methods) {
      const id = item?.[method]?.operationId;
      if (id) ids.push(id);
    }
  }
  return ids;
}
