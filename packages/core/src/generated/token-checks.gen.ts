/**
 * The token response and error shapes @pintoken/core checks answers against, flattened from their schemas.
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change packages/codegen/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
 */

import type { Shape } from "../token-check.ts";

/**
 * OauthAccessTokenResponse: each field's type, and per `response_type` (in `variants` order) whether that variant
 * requires it (`R`), declares it as optional (`o`) or leaves it out (`-`: not type-checked there).
 */
export const tokenResponseShape: Shape = {
  "tag": "response_type",
  "variants": [
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "integration_refresh"
  ],
  "fields": {
    "access_token": ["string", "RRRR"],
    "token_type": ["string", "RRRR"],
    "expires_in": ["integer", "RRRR"],
    "scope": ["string", "RRRR"],
    "refresh_token": ["string", "oR-R"],
    "refresh_token_expires_at": ["integer", "oR--"],
    "refresh_token_expires_in": ["integer", "oR-R"]
  }
};

/** Error: Pinterest's `{ code, message }` error body: each field's type, and `R` if required (`o` if not). */
export const errorShape: Shape = {
  "fields": {
    "code": ["integer", "R"],
    "message": ["string", "R"]
  }
};
