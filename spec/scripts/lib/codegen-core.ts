import { join } from "node:path";
import type { Doc } from "../../../packages/codegen/src/document.ts";
import { filterOperations } from "../../../packages/codegen/src/filter.ts";
import { generateTypes } from "../../../packages/codegen/src/types.ts";
import { tokenChecksModule } from "./codegen-token-checks.ts";
import type { GeneratedFile } from "./generated.ts";

/** The header every generated TypeScript file starts with. */
export const tsHeader = (what: string) =>
  [
    "/**",
    ...what.split("\n").map((line) => ` * ${line}`),
    " *",
    " * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.",
    " * Change packages/codegen/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.",
    " */",
    "",
  ].join("\n");

interface OAuthFlows {
  authorizationCode?: { authorizationUrl?: string; tokenUrl?: string; scopes?: Record<string, string> };
  clientCredentials?: { tokenUrl?: string; scopes?: Record<string, string> };
}

function specFacts(doc: Doc) {
  const schemes = ((doc.components as Doc | undefined)?.securitySchemes ?? {}) as Record<
    string,
    { type?: string; flows?: OAuthFlows }
  >;
  const scopes = new Map<string, string>();
  let authorizationUrl: string | undefined;
  let tokenUrl: string | undefined;
  for (const scheme of Object.values(schemes)) {
    if (scheme.type !== "oauth2" || !scheme.flows) continue;
    for (const flow of Object.values(scheme.flows) as { scopes?: Record<string, string> }[]) {
      for (const [scope, description] of Object.entries(flow.scopes ?? {}))
        if (!scopes.has(scope)) scopes.set(scope, description);
    }
    authorizationUrl ??= scheme.flows.authorizationCode?.authorizationUrl;
    tokenUrl ??= scheme.flows.authorizationCode?.tokenUrl;
  }
  const servers = (doc.servers ?? []) as { url: string }[];
  if (!servers[0]?.url)
    throw new Error("spec/openapi.yaml has no servers[0].url: the API base URL cannot be generated.");
  if (!authorizationUrl)
    throw new Error("spec/openapi.yaml has no oauth2 authorizationCode flow with an authorizationUrl.");
  if (scopes.size === 0) throw new Error("spec/openapi.yaml declares no OAuth scopes.");
  const sorted = [...scopes.keys()].sort();
  return {
    apiBaseUrl: servers[0].url,
    authorizationUrl,
    tokenUrl,
    scopes: sorted,
    descriptions: Object.fromEntries(sorted.map((s) => [s, scopes.get(s)])),
  };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * The operations @pintoken/core's own code calls: the token endpoint and revocation. Their types (oauth.gen.ts) are
 * all that core's main entry refers to, so that an app using only the OAuth layer never type-checks the 1.6 MB of
 * every operation's types, which only `@pintoken/core/api` exports.
 */
export const coreOperations = ["oauth/token", "token/revoke"] as const;

/**
 * Generates packages/core/src/generated/*.gen.ts from the corrected document: the types of every operation, exactly as
 * `npx @pintoken/codegen` writes them for users (for `@pintoken/core/api`), the types of the operations core itself
 * calls (for the rest of core), the spec's facts, and the token checks.
 */
export async function generateCore(doc: Doc, outDir: string): Promise<GeneratedFile[]> {
  const facts = specFacts(doc);
  const info = doc.info as { version?: string; title?: string };
  return [
    { path: join(outDir, "openapi.gen.ts"), content: await generateTypes(doc) },
    {
      path: join(outDir, "oauth.gen.ts"),
      content: await generateTypes(
        filterOperations(doc, coreOperations),
        tsHeader(
          `The types of the operations @pintoken/core calls itself (${coreOperations.join(", ")}), by openapi-typescript.\n` +
            "Every operation's types are in openapi.gen.ts, which only @pintoken/core/api exports.",
        ),
      ),
    },
    {
      path: join(outDir, "spec.gen.ts"),
      content: `${tsHeader("Facts taken from the security schemes and servers of the Pinterest description.")}
/**
 * Version of the Pinterest description these files were generated from.
 *
 * @example
 * \`\`\`ts
 * console.log(\`Built against Pinterest API description \${specVersion}\`);
 * \`\`\`
 */
export const specVersion = ${JSON.stringify(info.version ?? "unknown")};

/**
 * Pinterest API base URL (servers[0]).
 *
 * @example
 * \`\`\`ts
 * const me = await fetch(\`\${apiBaseUrl}/user_account\`, { headers: { authorization: \`Bearer \${accessToken}\` } });
 * \`\`\`
 */
export const apiBaseUrl = ${JSON.stringify(facts.apiBaseUrl)};

/**
 * Where the browser is sent to approve access (the authorizationCode flow's authorizationUrl).
 *
 * @example
 * \`\`\`ts
 * const isPinterestConsent = new URL(location).origin === new URL(authorizationEndpoint).origin;
 * \`\`\`
 */
export const authorizationEndpoint = ${JSON.stringify(facts.authorizationUrl)};

/**
 * Every OAuth scope Pinterest declares, sorted.
 *
 * @example
 * \`\`\`ts
 * const readOnly = pinterestScopes.filter((scope) => scope.endsWith(":read"));
 * \`\`\`
 */
export const pinterestScopes = ${json(facts.scopes)} as const;

/**
 * One OAuth scope Pinterest declares, e.g. \`"pins:read"\`.
 *
 * @example
 * \`\`\`ts
 * const scopes: PinterestScope[] = ["user_accounts:read", "pins:read"];
 * \`\`\`
 */
export type PinterestScope = (typeof pinterestScopes)[number];

/**
 * What each scope lets an app do, in Pinterest's words.
 *
 * @example
 * \`\`\`ts
 * for (const scope of requestedScopes) console.log(\`\${scope}: \${scopeDescriptions[scope]}\`);
 * \`\`\`
 */
export const scopeDescriptions: Readonly<Record<PinterestScope, string>> = ${json(facts.descriptions)};
`,
    },
    {
      path: join(outDir, "token-checks.gen.ts"),
      content: `${tsHeader("The token response and error shapes @pintoken/core checks answers against, flattened from their schemas.")}
${tokenChecksModule((doc.components as Doc | undefined)?.schemas as Record<string, Record<string, unknown>>)}`,
    },
  ];
}
