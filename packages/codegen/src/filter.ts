import type { Doc } from "./document.ts";

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Operation = { operationId?: string; tags?: string[]; security?: Record<string, unknown>[] };
type Components = Record<string, Record<string, unknown> | undefined>;

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

/**
 * Keeps the operations named in `operations` (every operation when it is undefined) and every component they reach,
 * and drops the rest: unreachable components, then the top-level tags, `x-tagGroups` entries and security schemes no
 * kept operation uses. A component counts as reached through a `$ref` and through a discriminator's `mapping`
 * (Pinterest's token variants are reachable only that way). Everything kept is Pinterest's, in Pinterest's order;
 * `doc` is not changed (what is kept is shared with it, not copied). An operationId the description does not have is
 * an error that names it.
 */
export function filterOperations(doc: Doc, operations?: readonly string[]): Doc {
  const all = operations === undefined;
  const wanted = new Set(operations);
  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    const kept = Object.entries(item).filter(
      ([key, value]) => !methods.includes(key) || all || wanted.has((value as Operation).operationId as string),
    );
    if (kept.some(([key]) => methods.includes(key))) paths[path] = Object.fromEntries(kept);
  }
  const result: Doc = { ...doc, paths };
  if (!all) {
    const found = new Set(operationIds(result));
    const missing = [...wanted].filter((id) => !found.has(id));
    if (missing.length) {
      throw new Error(
        `The description has no operation ${missing.map((id) => `"${id}"`).join(", ")}: Pinterest renamed or ` +
          "removed it. Check the operationIds you asked for against the release.",
      );
    }
  }
  const components = doc.components as Components | undefined;
  if (components) result.components = reachableComponents(result, components);
  return dropUnusedTagsAndSecuritySchemes(result);
}

/**
 * The components reachable from `roots`, through `$ref`s and discriminator mappings, transitively, as
 * `"<section>/<name>"` keys (e.g. `"schemas/Error"`).
 */
export function reachableFrom(roots: unknown[], components: Components): Set<string> {
  const reached = new Set<string>();
  const queue: unknown[] = [...roots];
  const reach = (ref: string) => {
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (!match) return;
    const [, section, pointer] = match as unknown as [string, string, string];
    const name = decodeURIComponent(pointer).replace(/~1/g, "/").replace(/~0/g, "~");
    if (reached.has(`${section}/${name}`)) return;
    reached.add(`${section}/${name}`);
    queue.push(components[section]?.[name]);
  };
  while (queue.length) {
    const node = queue.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      queue.push(...node);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") reach(value);
      else if (key === "discriminator" && value && typeof value === "object") {
        for (const target of Object.values((value as { mapping?: Record<string, unknown> }).mapping ?? {})) {
          // A mapping value is a $ref or, by OpenAPI 3.0, a bare schema name.
          if (typeof target === "string") reach(target.startsWith("#") ? target : `#/components/schemas/${target}`);
        }
      } else queue.push(value);
    }
  }
  return reached;
}

/**
 * The components reachable from everything outside `components` (paths first of all); security schemes are kept
 * whole (requirements name them, not `$ref`s).
 */
function reachableComponents(doc: Doc, components: Components): Components {
  const roots = Object.entries(doc)
    .filter(([name]) => name !== "components")
    .map(([, value]) => value);
  const reached = reachableFrom(roots, components);
  return Object.fromEntries(
    Object.entries(components).map(([section, entries]) => [
      section,
      section === "securitySchemes" || !entries
        ? entries
        : Object.fromEntries(Object.entries(entries).filter(([name]) => reached.has(`${section}/${name}`))),
    ]),
  );
}

/**
 * Removes top-level tags no operation uses (and their names from `x-tagGroups`, the tag groups Redoc shows, dropping
 * groups left empty) and security schemes no security requirement names.
 */
function dropUnusedTagsAndSecuritySchemes(doc: Doc): Doc {
  const ops = operations(doc).map((o) => o.operation);
  const usedTags = new Set(ops.flatMap((op) => op.tags ?? []));
  const requirements = [
    ...((doc.security ?? []) as Record<string, unknown>[]),
    ...ops.flatMap((op) => op.security ?? []),
  ];
  const usedSchemes = new Set(requirements.flatMap((requirement) => Object.keys(requirement)));
  if (Array.isArray(doc.tags)) doc.tags = (doc.tags as { name: string }[]).filter((tag) => usedTags.has(tag.name));
  if (Array.isArray(doc["x-tagGroups"])) {
    doc["x-tagGroups"] = (doc["x-tagGroups"] as { tags?: string[] }[]).flatMap((group) => {
      if (!Array.isArray(group.tags)) return [group];
      const tags = group.tags.filter((tag) => usedTags.has(tag));
      return tags.length ? [{ ...group, tags }] : [];
    });
  }
  const components = doc.components as Components | undefined;
  if (components?.securitySchemes) {
    components.securitySchemes = Object.fromEntries(
      Object.entries(components.securitySchemes).filter(([name]) => usedSchemes.has(name)),
    );
  }
  return doc;
}
