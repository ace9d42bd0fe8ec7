import openapiTS, { astToString } from "openapi-typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { loadRelease, repo } from "../../test/helpers.ts";
import { correctedSpec } from "./build.ts";
import { type Doc, loadDocument } from "./document.ts";
import { filterOperations, readFilterSet } from "./filter.ts";
import { generateTypes } from "./types.mjs";

/** What openapi-typescript's own entry point (the CLI's) makes of a description, with the pipeline's options. */
const viaOpenapiTS = async (doc: Doc) =>
  astToString(await openapiTS(structuredClone(doc) as never, { alphabetize: false, silent: true }));

describe("generateTypes (openapi-typescript's transform, without its Redocly lint and bundle)", () => {
  let filtered: Doc;
  let all: Doc;
  beforeAll(async () => {
    const [{ doc: release }, filter, overlay] = await Promise.all([
      loadRelease(),
      loadDocument(repo.filter),
      loadDocument(repo.overlay),
    ]);
    const filterSet = readFilterSet(filter);
    [filtered, all] = await Promise.all([
      correctedSpec(filterOperations(release, filterSet), overlay).then((r) => r.doc),
      correctedSpec(filterOperations(release, filterSet, { all: true }), overlay).then((r) => r.doc),
    ]);
  });

  it("gives byte for byte what openapiTS() gives, for the operations pintoken uses", async () => {
    expect(await generateTypes(filtered)).toBe(await viaOpenapiTS(filtered));
  });

  it("gives byte for byte what openapiTS() gives, for Pinterest's whole release (--all)", async () => {
    const types = await generateTypes(all);
    expect(types).toBe(await viaOpenapiTS(all));
    expect(types).toContain("export interface paths {");
  });

  it("leaves the description it is given as it was", async () => {
    const before = structuredClone(filtered);
    await generateTypes(filtered);
    expect(filtered).toEqual(before);
  });
});
