import { beforeAll, describe, expect, it } from "vitest";
import { at, loadRelease, objectAt } from "../test/release.ts";
import { clone, type Doc } from "./document.ts";
import { filterOperations } from "./filter.ts";
import {
  type ActionResult,
  applyOverlay,
  holds,
  loadOverlay,
  type OverlayAction,
  OverlayActionError,
  parentPath,
} from "./overlay.ts";

/** Pinterest's real release, its unreachable components dropped: what the overlay is applied to. */
let upstream: Doc;
let overlay: Doc;
let actions: OverlayAction[];
beforeAll(async () => {
  const [release, overlayDoc] = await Promise.all([loadRelease(), loadOverlay()]);
  upstream = filterOperations(release.doc);
  overlay = overlayDoc;
  actions = overlay.actions as OverlayAction[];
});

const outcomes = (results: ActionResult[]) => results.map((r) => `${r.number} ${r.outcome}`);
/** The 1-based numbers of the actions whose description starts with `prefix`. */
const numbered = (prefix: string) =>
  actions.flatMap((action, index) => (action.description?.startsWith(prefix) ? [index + 1] : []));

describe("applyOverlay on Pinterest's release", () => {
  it("applies or finds satisfied every action, and does not change the document it was given", async () => {
    const before = clone(upstream);
    const { actions: results } = await applyOverlay(upstream, overlay);
    expect(results).toHaveLength(actions.length);
    expect(results.map((r) => r.number)).toEqual(actions.map((_, i) => i + 1));
    expect(upstream).toEqual(before);
  });

  it("is a no-op on its own result: every action finds what it makes already there", async () => {
    const once = await applyOverlay(upstream, overlay);
    const twice = await applyOverlay(once.doc, overlay);
    expect(twice.doc).toEqual(once.doc);
    expect(twice.actions.every((r) => r.outcome === "satisfied")).toBe(true);
  });

  it("reports a quirk Pinterest fixed as satisfied, and corrects the rest the same way", async () => {
    // A release where Pinterest made the request a oneOf itself and dropped the base properties.
    const fixed = clone(upstream);
    const request = objectAt(fixed, "components", "schemas", "OauthAccessTokenRequest");
    for (const key of ["properties", "required", "type"]) delete request[key];
    request.oneOf = (["Code", "Refresh", "ClientCredentials"] as const).map((v) => ({
      $ref: `#/components/schemas/OauthAccessTokenRequest${v}`,
    }));
    const [fromFixed, fromUpstream] = await Promise.all([
      applyOverlay(fixed, overlay),
      applyOverlay(upstream, overlay),
    ]);
    expect(fromFixed.doc).toEqual(fromUpstream.doc);
    const requestOneOf = numbered("request-oneOf:");
    expect(requestOneOf).toHaveLength(4);
    for (const number of requestOneOf) expect(fromFixed.actions[number - 1]?.outcome).toBe("satisfied");
    expect(outcomes(fromUpstream.actions)).toEqual(expect.arrayContaining(requestOneOf.map((n) => `${n} applied`)));
  });

  it("narrows an enum that lists a value more (or in another order) as well", async () => {
    const changed = clone(upstream);
    const grant = objectAt(
      changed,
      "components",
      "schemas",
      "OauthAccessTokenRequestRefresh",
      "properties",
      "grant_type",
    );
    grant.enum = ["client_credentials", "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"];
    const { doc } = await applyOverlay(changed, overlay);
    expect(
      at(doc, "components", "schemas", "OauthAccessTokenRequestRefresh", "properties", "grant_type", "enum"),
    ).toEqual(["refresh_token"]);
  });

  it("keeps Pinterest's own continuous_refresh where a release declares it (5.15–5.18 did)", async () => {
    const declared = clone(upstream);
    const code = objectAt(declared, "components", "schemas", "OauthAccessTokenRequestCode");
    const fields = objectAt(code, "allOf", 0, "properties");
    fields.continuous_refresh = { type: "boolean", description: "Pinterest's own words." };
    const { doc, actions: results } = await applyOverlay(declared, overlay);
    const [number] = numbered("continuous-refresh:");
    expect(results[(number as number) - 1]?.outcome).toBe("satisfied");
    expect(
      at(doc, "components", "schemas", "OauthAccessTokenRequestCode", "allOf", 0, "properties", "continuous_refresh"),
    ).toEqual({ type: "boolean", description: "Pinterest's own words." });
  });

  it("fails naming the first action whose target upstream no longer has", async () => {
    // Pinterest drops the integration_refresh variant: the actions narrowing its enum match nothing.
    const changed = clone(upstream);
    delete objectAt(changed, "components", "schemas").OauthAccessTokenResponseIntegrationRefresh;
    const index = actions.findIndex((a) => a.target.includes("OauthAccessTokenResponseIntegrationRefresh"));
    const error = await applyOverlay(changed, overlay).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverlayActionError);
    expect((error as OverlayActionError).index).toBe(index);
    expect((error as Error).message).toContain(`Overlay action #${index + 1} (${actions[index]?.description})`);
    expect((error as Error).message).toContain("matched nothing");
    expect((error as Error).message).toContain(actions[index]?.target);
    expect((error as Error).message).toContain("a newer @pintoken/codegen");
  });

  it("fails when a property an update targets moved away (the code exchange's fields)", async () => {
    const changed = clone(upstream);
    const code = objectAt(changed, "components", "schemas", "OauthAccessTokenRequestCode");
    delete code.allOf; // Pinterest drops code and redirect_uri
    const [number] = numbered("continuous-refresh:");
    await expect(applyOverlay(changed, overlay)).rejects.toThrow(`Overlay action #${number} (`);
  });
});

describe("applyOverlay's rules", () => {
  const doc = (): Doc => ({ a: { list: ["x", "y", "z", "w"], keep: 1, inner: { v: 1 } } });
  const run = (...list: OverlayAction[]) => applyOverlay(doc(), { overlay: "1.0.0", actions: list });

  it("removes every matching array item, however many", async () => {
    const { doc: out } = await run({ target: "$.a.list[?(@ != 'x' && @ != 'w')]", remove: true });
    expect(at(out, "a", "list")).toEqual(["x", "w"]);
  });

  it("a remove that finds nothing under a parent that is there is satisfied; under a missing parent, an error", async () => {
    expect(outcomes((await run({ target: "$.a.gone", remove: true })).actions)).toEqual(["1 satisfied"]);
    await expect(run({ target: "$.b.gone", description: "parent gone", remove: true })).rejects.toThrow(
      "Overlay action #1 (parent gone) matched nothing, and neither did the node holding its target",
    );
  });

  it("an update whose values are all there is satisfied; otherwise it merges (arrays are appended to)", async () => {
    const satisfied = await run({ target: "$.a", update: { keep: 1, list: ["z"], inner: { v: 1 } } });
    expect(outcomes(satisfied.actions)).toEqual(["1 satisfied"]);
    expect(satisfied.doc).toEqual(doc());
    const applied = await run({ target: "$.a", update: { list: ["v"], inner: { w: 2 } } });
    expect(outcomes(applied.actions)).toEqual(["1 applied"]);
    expect(applied.doc).toEqual({ a: { list: ["x", "y", "z", "w", "v"], keep: 1, inner: { v: 1, w: 2 } } });
    await expect(run({ target: "$.nope", update: { x: 1 } })).rejects.toThrow("matched nothing");
  });

  it("rejects an overlay that is not Overlay 1.0, and actions that are not one of update or remove", async () => {
    await expect(applyOverlay(doc(), { overlay: "2.0.0", actions: [] })).rejects.toThrow(
      "must be an OpenAPI Overlay 1.0.x document",
    );
    await expect(run({ target: "$.a", description: "does nothing" })).rejects.toThrow(
      "Overlay action #1 (does nothing) must have either update or remove: true",
    );
    await expect(run({ target: "$.a[", description: "broken", update: {} })).rejects.toThrow(
      "Overlay action #1 (broken) has a target that cannot be read",
    );
  });
});

describe("parentPath", () => {
  it.each([
    ["$.a.b.c", "$.a.b"],
    ["$.a.enum[?(@ != 'x')]", "$.a.enum"],
    ["$.a..properties.b", "$.a..properties"],
    ["$.a..b", "$.a"],
    ["$.a['x.y']", "$.a"],
    ["$.a[?(@.b == ']')]", "$.a"],
    ["$", undefined],
  ])("%s → %s", (target, parent) => {
    expect(parentPath(target)).toBe(parent);
  });
});

describe("holds", () => {
  it.each([
    [{ a: 1, b: { c: [1, 2] } }, { b: { c: [2] } }, true],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: [1] }, { a: [1, 3] }, false],
    [[{ $ref: "x" }, { $ref: "y" }], [{ $ref: "y" }], true],
    ["v", "v", true],
    [undefined, { a: 1 }, false],
  ])("%j holds %j: %s", (target, update, expected) => {
    expect(holds(target, update)).toBe(expected);
  });
});
