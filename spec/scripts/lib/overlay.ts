import { openapiOverlay } from "openapi-format";
import type { Doc } from "./document.ts";
import { clone } from "./document.ts";

/** One OpenAPI Overlay 1.0 action. */
export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

/** Thrown when an overlay action cannot be applied; names the action so it can be fixed. */
export class OverlayActionError extends Error {
  constructor(
    readonly index: number,
    readonly action: OverlayAction,
    reason: string,
  ) {
    super(
      `Overlay action #${index + 1} (${action.description ?? "no description"}) ${reason}. ` +
        `Its target is ${action.target}. Upstream changed shape: fix or remove this action in spec/overlay.yaml.`,
    );
    this.name = "OverlayActionError";
  }
}

/**
 * Applies an OpenAPI Overlay 1.0 document one action at a time (openapi-format does the work) and fails on the first
 * action whose target matches nothing, instead of skipping it silently.
 */
export async function applyOverlay(doc: Doc, overlay: Doc): Promise<Doc> {
  if (typeof overlay.overlay !== "string" || !/^1\.0\.\d+$/.test(overlay.overlay)) {
    throw new Error(
      `spec/overlay.yaml must be an OpenAPI Overlay 1.0.x document (overlay: 1.0.0), got ${String(overlay.overlay)}.`,
    );
  }
  const actions = overlay.actions;
  if (!Array.isArray(actions) || actions.length === 0) {
    throw new Error("spec/overlay.yaml has no actions.");
  }
  let current = clone(doc);
  for (const [index, action] of (actions as OverlayAction[]).entries()) {
    if (typeof action?.target !== "string" || !action.target.startsWith("$")) {
      throw new OverlayActionError(index, action ?? { target: "(none)" }, "has no JSONPath target starting with $");
    }
    if (!("update" in action) && action.remove !== true) {
      throw new OverlayActionError(index, action, "has neither update nor remove: true");
    }
    const single = { overlay: overlay.overlay, actions: [action] } as Parameters<
      typeof openapiOverlay
    >[1]["overlaySet"];
    const { data, resultData } = await withQuietConsole(() => openapiOverlay(current, { overlaySet: single }));
    if ((resultData as { totalUsedActions?: number }).totalUsedActions !== 1) {
      throw new OverlayActionError(index, action, "matched nothing");
    }
    current = data as Doc;
  }
  return current;
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
