/**
 * Type-checks generated files the way the packages use them: `tsc` over a temporary repository's generated files
 * plus a probe module that exercises the OAuth types (and must fail where a `@ts-expect-error` says so).
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../scripts/lib/paths.ts";

const run = promisify(execFile);
const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");

/** Uses the generated OAuth types as @pintoken/core does; compiles only if they are what the overlay promises. */
export const oauthProbe = `import type { components, paths } from "./packages/core/src/generated/openapi.gen.ts";
import { schemas } from "./packages/core/src/generated/schemas.gen.ts";
import { apiBaseUrl, type PinterestScope, pinterestScopes } from "./packages/core/src/generated/spec.gen.ts";
import { operations, securitySchemes } from "./packages/mock/src/generated/operations.gen.ts";

type TokenRequest = paths["/oauth/token"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
export const exchange: TokenRequest = {
  grant_type: "authorization_code",
  code: "code",
  redirect_uri: "https://example.com/callback",
  continuous_refresh: true,
};
export const refresh: TokenRequest = { grant_type: "refresh_token", refresh_token: "pinr.1" };
// @ts-expect-error: a refresh request must carry its refresh_token
export const incomplete: TokenRequest = { grant_type: "refresh_token" };
// @ts-expect-error: grant types are a closed set
export const unknownGrant: TokenRequest = { grant_type: "password" };

type TokenResponse = paths["/oauth/token"]["post"]["responses"]["200"]["content"]["application/json"];
export function refreshExpiry(body: TokenResponse): number | undefined {
  return body.response_type === "refresh_token" ? body.refresh_token_expires_at : undefined;
}
export const account: components["schemas"]["Account"] = { username: "pinner", account_type: "BUSINESS" };
export const scope: PinterestScope = "pins:read";
export const facts = [apiBaseUrl, pinterestScopes.length, Object.keys(schemas).length, operations.length];
export const schemes: string[] = Object.keys(securitySchemes);
`;

/**
 * Writes `tsconfig.json` and `probe.ts` (the OAuth probe plus `extra`) into `root` and runs `tsc` there with the
 * repository's strict base options. Resolves with tsc's output; rejects with it when type-checking fails.
 */
export async function typeCheckGenerated(root: string, extra = ""): Promise<string> {
  await writeFile(
    join(root, "tsconfig.json"),
    JSON.stringify({
      extends: join(repoRoot, "tsconfig.base.json"),
      include: ["packages/*/src/generated/*.gen.ts", "probe.ts"],
    }),
  );
  await writeFile(join(root, "probe.ts"), `${oauthProbe}${extra}`);
  try {
    const { stdout } = await run(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { cwd: root });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed in ${root}:\n${failed.stdout ?? ""}${failed.stderr ?? ""}`);
  }
}
