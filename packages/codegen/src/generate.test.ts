/**
 * `generate()`, the programmatic entry of @pintoken/codegen (what the CLI and pintoken's own `pnpm spec:update` run):
 * a release read from a URL, a changed copy compared with the types it replaces, a subset of operations, and the
 * errors a caller can tell apart.
 */
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changedRelease,
  loadRelease,
  releaseChanges,
  releasePath,
  releaseVariant,
  removeTemporaryDirs,
} from "../test/release.ts";
import { type Generated, generate, OverlayActionError } from "./index.ts";

let server: Server;
let origin: string;
afterAll(async () => {
  server?.close();
  await removeTemporaryDirs();
});

describe("generate() on Pinterest's real release and a changed copy", () => {
  let fromUrl: Generated;
  let release: Awaited<ReturnType<typeof loadRelease>>;
  beforeAll(async () => {
    release = await loadRelease();
    const bytes = await readFile(await releasePath());
    server = createServer((request, response) => {
      if (request.url === "/v5/openapi.json") response.end(bytes);
      else response.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fromUrl = await generate({ source: `${origin}/v5/openapi.json` });
  });

  it("reads a release from a URL: every operation typed, the release's version and hash, everything new", () => {
    expect(fromUrl.source).toBe(`${origin}/v5/openapi.json`);
    expect(fromUrl.sha256).toBe(release.sha256);
    expect(fromUrl.version).toBe(String((release.doc.info as { version: unknown }).version));
    expect(fromUrl.kept.operations).toBe(fromUrl.kept.totalOperations);
    expect(fromUrl.types).toContain('"/boards": {');
    expect(fromUrl.overlay.length).toBeGreaterThan(0);
    expect(fromUrl.previousVersion).toBeUndefined();
    expect(fromUrl.changes.operationsAdded).toHaveLength(fromUrl.kept.operations);
  });

  it("compares a changed copy with the types it replaces: the operation added, the one removed, the field changed", async () => {
    const result = await generate({ source: await changedRelease(), previous: fromUrl.types });
    const { added, removed, changed } = releaseChanges;
    expect(result.previousVersion).toBe(fromUrl.version);
    expect(result.changes.operationsAdded).toEqual([added]);
    expect(result.changes.operationsRemoved).toEqual([removed]);
    expect(result.changes.operationsChanged).toEqual([]);
    expect(result.changes.schemasChanged.map((c) => c.schema)).toEqual([changed.schema]);
    expect(result.changes.schemasChanged[0]?.changed).toEqual([
      {
        name: changed.field,
        before: { type: "string | null", required: false, readOnly: false },
        after: { type: "string", required: true, readOnly: false },
      },
    ]);
  });

  it("keeps only the operations asked for, and what they use", async () => {
    const result = await generate({ source: await releasePath(), operations: ["boards/list", "pins/get"] });
    expect(result.kept.operations).toBe(2);
    expect(result.kept.schemas).toBeLessThan(result.kept.totalSchemas);
    expect(result.changes.operationsAdded.map((o) => o.operationId).sort()).toEqual(["boards/list", "pins/get"]);
  });

  it("fails with a clear error on a URL that answers an error, and names an overlay action whose target moved", async () => {
    await expect(generate({ source: `${origin}/v5/missing.json` })).rejects.toThrow(
      `Could not download ${origin}/v5/missing.json: HTTP 404`,
    );
    const moved = await releaseVariant((doc) => {
      const { securitySchemes } = doc.components as { securitySchemes: Record<string, unknown> };
      delete securitySchemes.client_credentials;
    });
    const error = await generate({ source: moved }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverlayActionError);
    const { action, message } = error as OverlayActionError;
    expect(action.target).toMatch(/^\$\.components\.securitySchemes\.client_credentials/);
    expect(message).toContain(`Its target is ${action.target}`);
  });
});
