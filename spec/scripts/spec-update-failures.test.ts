/** spec:update failures: each one leaves spec/upstream and every generated file exactly as they were. */
import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDocument, toYaml } from "../../packages/codegen/src/document.ts";
import type { OverlayAction } from "../../packages/codegen/src/overlay.ts";
import {
  objectAt,
  releasePath,
  releaseVariant,
  removeTemporaryDirs,
  snapshot,
  temporaryDir,
  temporaryRepo,
} from "../test/helpers.ts";
import { layout, repoRoot } from "./lib/paths.ts";
import { specUpdate } from "./lib/spec-update.ts";

afterAll(removeTemporaryDirs);

describe("spec:update failures leave every file as it was", () => {
  /** Runs spec:update in a fresh copy and checks that it fails with `message` and changes no file. */
  async function expectUntouched(source: string, message: string | RegExp, prepare?: (root: string) => Promise<void>) {
    const root = await temporaryRepo();
    await prepare?.(root);
    const before = await snapshot(root);
    const error = await specUpdate({ source, root }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect(await snapshot(root)).toEqual(before);
    return error as Error;
  }
  const nothingWritten = "Nothing was written: spec/upstream and every generated file are as they were.";

  it("when an overlay action's target is gone from upstream, naming the action", async () => {
    const source = await releaseVariant((doc) => {
      delete objectAt(doc, "components", "schemas").OauthAccessTokenResponseIntegrationRefresh;
      delete objectAt(doc, "components", "schemas", "OauthAccessTokenResponse", "discriminator", "mapping")
        .integration_refresh;
    });
    const actions = (await loadDocument(layout(repoRoot).overlay)).actions as OverlayAction[];
    const index = actions.findIndex((a) => a.target.includes("OauthAccessTokenResponseIntegrationRefresh"));
    const error = await expectUntouched(source, `Overlay action #${index + 1} (${actions[index]?.description})`);
    expect(error.message).toContain("matched nothing");
    expect(error.message).toContain(nothingWritten);
  });

  it("when the overlay has an action whose target does not exist", async () => {
    await expectUntouched(
      await releasePath(),
      /Overlay action #1 \(renamed upstream\) matched nothing/,
      async (root) => {
        const overlay = await loadDocument(layout(root).overlay);
        const actions = overlay.actions as OverlayAction[];
        actions.unshift({
          target: "$.components.schemas.AccountV2",
          description: "renamed upstream",
          update: { title: "x" },
        });
        await writeFile(layout(root).overlay, toYaml(overlay));
      },
    );
  });

  it("when a generator fails", async () => {
    const source = await releaseVariant((doc) => {
      const schemes = objectAt(doc, "components", "securitySchemes");
      objectAt(schemes, "pinterest_oauth2", "flows", "authorizationCode").scopes = {};
      objectAt(schemes, "client_credentials", "flows", "clientCredentials").scopes = {};
    });
    await expectUntouched(source, /declares no OAuth scopes\.\nNothing was written/);
  });

  it("when the input is not an OpenAPI 3.0 description", async () => {
    const dir = await temporaryDir();
    await writeFile(join(dir, "swagger.json"), JSON.stringify({ swagger: "2.0", info: {}, paths: {} }));
    await expectUntouched(join(dir, "swagger.json"), "is a Swagger 2.0 document, not OpenAPI 3.0.x");
    await writeFile(join(dir, "broken.json"), "{ not json");
    await expectUntouched(join(dir, "broken.json"), "is neither valid JSON nor valid YAML");
    await expectUntouched(join(dir, "missing.json"), /Could not read .*missing\.json/);
  });

  it("when a file cannot be replaced, after others were: those get their content back", async () => {
    const source = await releaseVariant((doc) => {
      (doc.info as { version: string }).version = "5.24.0"; // changes upstream, spec and every target's files
    });
    // A directory where the last generated file must go: every earlier replacement has to be undone.
    const error = await expectUntouched(
      source,
      /Could not replace packages\/mock\/src\/generated\/operations\.gen\.ts/,
      async (root) => {
        await rm(join(layout(root).mockGenerated, "operations.gen.ts"));
        await mkdir(join(layout(root).mockGenerated, "operations.gen.ts", "blocked"), { recursive: true });
      },
    );
    expect(error.message).toContain("Every file already replaced was restored to its previous content.");
  });
});

describe("Redocly's lint is a step of its own", () => {
  it("spec:update takes a release its lint rules fault, and `pnpm lint` in spec/ then fails naming the rule", async () => {
    const source = await releaseVariant((doc) => {
      (objectAt(doc, "components", "schemas", "Account", "properties", "account_type").enum as unknown[]).push(3);
    });
    const root = await temporaryRepo();
    const result = await specUpdate({ source, root });
    expect(result.written).toBe(true);
    const lint = await new Promise<string>((done) => {
      const script = join(repoRoot, "spec", "scripts", "lint-spec.ts");
      execFile(process.execPath, ["--import", "tsx", script, "--root", root], { cwd: repoRoot }, (error, out, err) =>
        done(error ? `${out}${err}` : ""),
      );
    });
    expect(lint).toMatch(/spec\/openapi\.yaml: 1 error\(s\) \(no-enum-type-mismatch 1\)/);
    expect(lint).toContain("packages/codegen/overlay.yaml");
  }, 300_000); // spec:update and a Redocly lint in another process: a minute or more on a loaded 2-core machine
});
