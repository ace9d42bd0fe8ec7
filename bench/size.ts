/**
 * What each library costs a browser app: min+gzip of an esbuild bundle, made by the same function (core's size test
 * uses it too) for every contender.
 */
import { fileURLToPath } from "node:url";
import { bundleSize, coreBudgets } from "../packages/core/test/bundle-size.ts";

const here = fileURLToPath(new URL(".", import.meta.url));

const contenders: { name: string; entry: string; budget?: number }[] = [
  ...coreBudgets.map((b) => ({ ...b, name: `pintoken: ${b.name}` })),
  {
    name: "pintoken: typed client (@pintoken/core/api)",
    entry: 'export { createPinterestApi } from "@pintoken/core/api";',
  },
  {
    name: "oauth4webapi: code, refresh, client credentials, revoke",
    entry:
      'export { ClientSecretBasic, authorizationCodeGrantRequest, processAuthorizationCodeResponse, refreshTokenGrantRequest, processRefreshTokenResponse, clientCredentialsGrantRequest, processClientCredentialsResponse, revocationRequest, processRevocationResponse, validateAuthResponse } from "oauth4webapi";',
  },
  { name: "oauth4webapi: everything", entry: 'export * from "oauth4webapi";' },
  {
    name: "@badgateway/oauth2-client: OAuth2Client",
    entry: 'export { OAuth2Client } from "@badgateway/oauth2-client";',
  },
  { name: "openapi-fetch: createClient", entry: 'export { default } from "openapi-fetch";' },
];

export async function benchSize(): Promise<void> {
  console.log("\nBrowser bundle size (esbuild, minified, ES2022; gzip level 9)");
  for (const { name, entry, budget } of contenders) {
    const { minified, gzipped } = await bundleSize(entry, here);
    const limit = budget === undefined ? "" : `   budget ${budget} B`;
    console.log(
      `  ${name.padEnd(58)} ${String(minified).padStart(7)} B min ${String(gzipped).padStart(6)} B gz${limit}`,
    );
  }
  const everything = coreBudgets[1];
  const { minified, gzipped, modules } = await bundleSize(everything.entry, here);
  console.log(`\nWhere the bytes of "${everything.name}" go (minified bytes per module; gzip share pro rata)`);
  for (const module of modules) {
    const share = Math.round((gzipped * module.minified) / minified);
    const path = module.path.replace(/^.*packages\/core\//, "");
    console.log(
      `  ${path.padEnd(40)} ${String(module.minified).padStart(6)} B min  ~${String(share).padStart(4)} B gz`,
    );
  }
}
