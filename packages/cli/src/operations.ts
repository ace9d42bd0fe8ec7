/**
 * Pinterest's operations at run time, for `pintoken api`: the generated list (src/generated/operations.gen.ts, from
 * the same description as `@pintoken/core/api`'s types), matched against what the user typed.
 */
import { operationRows } from "./generated/operations.gen.ts";
import type { OperationDetails } from "./operation-row.ts";

/** One operation of the spec. */
export interface Operation extends OperationDetails {
  readonly method: string;
  /** The path template, e.g. `/boards/{board_id}`. */
  readonly path: string;
  readonly operationId: string;
  /** The names of the template's `{parameters}`, in order. */
  readonly pathParams: readonly string[];
}

/** Every operation of the spec, in spec order. */
export const operations: readonly Operation[] = operationRows.map(([method, path, operationId, details]) => ({
  method,
  path,
  operationId,
  pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string),
  ...details,
}));

/** The HTTP methods any operation uses. */
export const methods: readonly string[] = [...new Set(operations.map((op) => op.method))];

/** A path the user typed, matched to an operation's template. */
export interface MatchedPath {
  /** The template, e.g. `/boards/{board_id}`. */
  readonly template: string;
  /** Values of the template's parameters taken from the typed path (decoded). */
  readonly values: Readonly<Record<string, string>>;
  /** The operations of the template, one per method. */
  readonly operations: readonly Operation[];
}

const templates = [...new Set(operations.map((op) => op.path))];

/** Splits a path into its segments, without the leading `/`. */
const segments = (path: string) => path.replace(/^\/+/, "").split("/");

/**
 * The template a typed path stands for: a template itself (`/boards/{board_id}`) or a concrete path
 * (`/boards/549755885175`). A literal segment beats a parameter (`/boards/analytics` before `/boards/{board_id}`).
 */
export function matchPath(path: string): MatchedPath | undefined {
  const typed = segments(path).map(safeDecode);
  let best: { template: string; values: Record<string, string>; literals: number } | undefined;
  for (const template of templates) {
    const parts = segments(template);
    if (parts.length !== typed.length) continue;
    const values: Record<string, string> = {};
    let literals = 0;
    let matches = true;
    for (const [index, part] of parts.entries()) {
      const value = typed[index] as string;
      const parameter = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (parameter) {
        if (value === "") matches = false;
        else if (value !== part) values[parameter] = value;
      } else if (part === value) literals++;
      else matches = false;
      if (!matches) break;
    }
    if (matches && (!best || literals > best.literals)) best = { template, values, literals };
  }
  if (!best) return undefined;
  const { template, values } = best;
  return { template, values, operations: operations.filter((op) => op.path === template) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Templates that look like `path`: those sharing its first segment, else those whose first segment contains it. */
export function similarPaths(path: string, limit = 8): string[] {
  const first = segments(path)[0] ?? "";
  const same = templates.filter((template) => segments(template)[0] === first);
  const near = same.length
    ? same
    : templates.filter((template) => first !== "" && (segments(template)[0] ?? "").includes(first.slice(0, 4)));
  return near.slice(0, limit);
}
