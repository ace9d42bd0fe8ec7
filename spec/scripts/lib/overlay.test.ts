import { beforeAll, describe, expect, it } from "vitest";
import { at, readRepoFile, repo } from "../../test/helpers.ts";
import { renderCorrectedSpec } from "./build.ts";
import { clone, type Doc, loadDocument } from "./document.ts";
import { applyOverlay, type OverlayAction, OverlayActionError } from "./overlay.ts";

let upstream: Doc;
let overlay: Doc;
let actions: OverlayAction[];
beforeAll(async () => {
  [upstream, overlay] = await Promise.all([loadDocument(repo.upstream), loadDocument(repo.overlay)]);
  actions = overlay.actions as OverlayAction[];
});

/** The 1-based number and description of the first action whose target starts with `prefix`. */
function firstActionOn(prefix: string) {
  const index = actions.findIndex((a) => a.target.startsWith(prefix));
  if (index < 0) throw new Error(`no overlay action targets ${prefix}`);
  return { number: index + 1, description: actions[index]?.description as string };
}

describe("applyOverlay", () => {
  it("turns spec/upstream/openapi.yaml into exactly spec/openapi.yaml", async () => {
    const corrected = await applyOverlay(upstream, overlay);
    expect(renderCorrectedSpec(corrected)).toBe(await readRepoFile("spec/openapi.yaml"));
  });

  it("does not change the document it was given", async () => {
    const before = clone(upstream);
    await applyOverlay(upstream, overlay);
    expect(upstream).toEqual(before);
  });

  it("fails naming the action whose target upstream no longer has", async () => {
    // Pinterest drops the integration_refresh variant: the actions narrowing its enum and titling it match nothing.
    const changed = clone(upstream);
    delete (at(changed, "components", "schemas") as Record<string, unknown>).OauthAccessTokenResponseIntegrationRefresh;
    const expected = firstActionOn("$.components.schemas.OauthAccessTokenResponseIntegrationRefresh");

    const error = await applyOverlay(changed, overlay).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverlayActionError);
    expect((error as OverlayActionError).index).toBe(expected.number - 1);
    expect((error as Error).message).toContain(`Overlay action #${expected.number} (${expected.description})`);
    expect((error as Error).message).toContain("matched nothing");
    expect((error as Error).message).toContain("$.components.schemas.OauthAccessTokenResponseIntegrationRefresh");
    expect((error as Error).message).toContain("spec/overlay.yaml");
  });

  it("fails when a removed property was the target of a nested path", async () => {
    // Upstream moves Refresh's base fields to the top level: the allOf[0] target disappears.
    const changed = clone(upstream);
    const refresh = at(changed, "components", "schemas", "OauthAccessTokenResponseRefresh") as Record<string, unknown>;
    refresh.allOf = (refresh.allOf as unknown[]).slice(1);
    const expected = firstActionOn("$.components.schemas.OauthAccessTokenResponseRefresh.allOf[0]");
    await expect(applyOverlay(changed, overlay)).rejects.toThrow(
      `Overlay action #${expected.number} (${expected.description}) matched nothing`,
    );
  });

  it("rejects an overlay that is not Overlay 1.0", async () => {
    await expect(applyOverlay(upstream, { ...overlay, overlay: "2.0.0" })).rejects.toThrow(
      "must be an OpenAPI Overlay 1.0.x document",
    );
  });

  it("rejects an action with neither update nor remove, naming it", async () => {
    const broken = { ...overlay, actions: [{ target: "$.info", description: "does nothing" }] };
    await expect(applyOverlay(upstream, broken)).rejects.toThrow(
      "Overlay action #1 (does nothing) has neither update nor remove: true",
    );
  });
});
