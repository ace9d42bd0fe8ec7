import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { openapiOverlay, resolveJsonPath } from "openapi-format";
import { clone, type Doc, loadDocument } from "./document.ts";

/** One OpenAPI Overlay 1.0 action. */
export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

/**
 * What an action did to this release: `applied` (it changed the document) or `satisfied` (upstream already has
 * what the action makes: the value an update sets, or no node where a remove targets).
 */
export type ActionOutcome = "applied" | "satisfied";

/**
 * One action of the overlay and its outcome.
 *
 * @example
 * ```ts
 * const { overlay } = await generate({ source: "openapi.json" });
 * const fixedByPinterest = overlay.filter((action: ActionResult) => action.outcome === "satisfied");
 * ```
 */
export interface ActionResult {
  /** 1-based position in overlay.yaml's `actions`. */
  number: number;
  description: string;
  target: string;
  outcome: ActionOutcome;
}

/**
 * Thrown when an overlay action cannot be applied (its target is gone: Pinterest moved or removed what it corrects);
 * names the action so it can be fixed.
 *
 * @example
 * ```ts
 * try {
 *   await generate({ source: "openapi.json" });
 * } catch (error) {
 *   if (error instanceof OverlayActionError) console.error(error.index, error.action.target, error.message);
 * }
 * ```
 */
export class OverlayActionError extends Error {
  constructor(
    readonly index: number,
    readonly action: OverlayAction,
    reason: string,
  ) {
    super(
      `Overlay action #${index + 1} (${action.description ?? "no description"}) ${reason}. ` +
        `Its target is ${action.target}. Pinterest moved or removed what it corrects: a newer @pintoken/codegen may ` +
        "know this release (in pintoken's repository, fix or remove the action in packages/codegen/overlay.yaml; " +
        "see spec/README.md).",
    );
    this.name = "OverlayActionError";
  }
}

type Node = { value: unknown; parent: unknown; key: string | number | undefined };

/** The nodes a JSONPath selects (openapi-format's resolver); throws when the path cannot be parsed. */
function nodesAt(doc: Doc, path: string): Node[] {
  const original = console.error;
  const messages: string[] = [];
  console.error = (...args: unknown[]) => messages.push(args.join(" "));
  try {
    const nodes = resolveJsonPath(doc, path) as Node[];
    if (messages.length) throw new Error(messages.join("; "));
    return nodes;
  } finally {
    console.error = original;
  }
}

/**
 * The JSONPath of the nodes holding a target's nodes: the target without its last segment (`.name`, `..name` or a
 * `[…]` selector), e.g. `$.a.b` for `$.a.b.c` and `$.a.enum` for `$.a.enum[?(@ != 'x')]`.
 */
export function parentPath(target: string): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  let last: number | undefined;
  for (let i = 1; i < target.length; i++) {
    const c = target[i] as string;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[") {
      if (depth === 0) last = i;
      depth++;
    } else if (c === "]") depth--;
    else if (c === "." && depth === 0) last = target[i - 1] === "." ? i - 1 : i;
  }
  return last === undefined ? undefined : target.slice(0, last);
}

/**
 * Whether `target` already holds everything `update` would merge into it under Overlay 1.0's rules: every key of an
 * object update (recursively), every item of an array update (arrays are appended to), or the same primitive.
 */
export function holds(target: unknown, update: unknown): boolean {
  if (Array.isArray(update)) {
    return Array.isArray(target) && update.every((item) => target.some((have) => isDeepStrictEqual(have, item)));
  }
  if (update !== null && typeof update === "object") {
    if (target === null || typeof target !== "object" || Array.isArray(target)) return false;
    return Object.entries(update).every(([key, value]) => holds((target as Record<string, unknown>)[key], value));
  }
  return isDeepStrictEqual(target, update);
}

/** Removes the nodes, array items from the last to the first so that earlier indexes stay right. */
function removeNodes(nodes: Node[]) {
  const items = nodes.filter((n) => Array.isArray(n.parent)).sort((a, b) => Number(b.key) - Number(a.key));
  for (const { parent, key } of items) (parent as unknown[]).splice(Number(key), 1);
  for (const { parent, key } of nodes) {
    if (!Array.isArray(parent) && parent && key !== undefined) delete (parent as Record<string, unknown>)[key];
  }
}

/**
 * Applies an OpenAPI Overlay 1.0 document one action at a time and says what each did. An action is a no-op
 * (`satisfied`) when upstream already has what it makes, so a correction Pinterest adopts keeps working; an action
 * whose target is gone (an update that matches nothing, a remove whose parent matches nothing) is an error naming it,
 * never skipped silently. The document given is not changed.
 *
 * Updates are applied by openapi-format; removals here, because openapi-format 1.33 removes several items of one
 * array by stale indexes.
 */
export async function applyOverlay(doc: Doc, overlay: Doc): Promise<{ doc: Doc; actions: ActionResult[] }> {
  if (typeof overlay.overlay !== "string" || !/^1\.0\.\d+$/.test(overlay.overlay)) {
    throw new Error(
      `The overlay must be an OpenAPI Overlay 1.0.x document (overlay: 1.0.0), got ${String(overlay.overlay)}.`,
    );
  }
  const actions = overlay.actions;
  if (!Array.isArray(actions) || actions.length === 0) throw new Error("The overlay has no actions.");
  let current = clone(doc);
  const results: ActionResult[] = [];
  for (const [index, action] of (actions as OverlayAction[]).entries()) {
    if (typeof action?.target !== "string" || !action.target.startsWith("$")) {
      throw new OverlayActionError(index, action ?? { target: "(none)" }, "has no JSONPath target starting with $");
    }
    const updates = "update" in action;
    if (updates === (action.remove === true)) {
      throw new OverlayActionError(index, action, "must have either update or remove: true (and not both)");
    }
    const select = (path: string) => {
      try {
        return nodesAt(current, path);
      } catch (error) {
        throw new OverlayActionError(index, action, `has a target that cannot be read: ${(error as Error).message}`);
      }
    };
    const nodes = select(action.target);
    let outcome: ActionOutcome;
    if (action.remove) {
      const parent = parentPath(action.target);
      if (nodes.length > 0) outcome = "applied";
      else if (parent && select(parent).length > 0) outcome = "satisfied";
      else throw new OverlayActionError(index, action, "matched nothing, and neither did the node holding its target");
      removeNodes(nodes);
    } else {
      if (nodes.length === 0) throw new OverlayActionError(index, action, "matched nothing");
      if (nodes.every((node) => holds(node.value, action.update))) outcome = "satisfied";
      else {
        outcome = "applied";
        const single = { overlay: overlay.overlay, actions: [action] } as Parameters<
          typeof openapiOverlay
        >[1]["overlaySet"];
        current = (await withQuietConsole(() => openapiOverlay(current, { overlaySet: single }))).data as Doc;
      }
    }
    results.push({ number: index + 1, description: action.description ?? "", target: action.target, outcome });
  }
  return { doc: current, actions: results };
}

/** openapi-format reports problems with console.error; we turn them into errors ourselves. */
async function withQuietConsole<T>(run: () => Promise<T>): Promise<T> {
  const original = console.error;
  const messages: string[] = [];
  console.error = (...args: unknown[]) => messages.push(args.join(" "));
  try {
    const result = await run();
    if (messages.length) throw new Error(`openapi-format: ${messages.join("; ")}`);
    return result;
  } finally {
    console.error = original;
  }
}

/**
 * pintoken's overlay (OpenAPI Overlay 1.0), shipped with this package: the corrections every generated types file
 * gets.
 *
 * @example
 * ```ts
 * import { readFile } from "node:fs/promises";
 * console.log(await readFile(overlayPath, "utf8")); // each action, with why it is there
 * ```
 */
export const overlayPath: string = fileURLToPath(new URL("../overlay.yaml", import.meta.url));

/** Reads pintoken's overlay ({@link overlayPath}). */
export const loadOverlay = (): Promise<Doc> => loadDocument(overlayPath);
