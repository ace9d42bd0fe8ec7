/**
 * The token response and error shapes @pintoken/core checks answers against, flattened from their schemas.
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change spec/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
 */

import type { Shape, TaggedShape } from "../token-check.ts";

/**
 * OauthAccessTokenResponse: the fields every body requires, those each `response_type` requires besides, the
 * fields each does not declare (not type-checked in it), and the type of every field any variant declares.
 */
export const tokenResponseShape: TaggedShape = {
  "tag": "response_type",
  "required": [
    "access_token",
    "token_type",
    "expires_in",
    "scope"
  ],
  "variants": {
    "authorization_code": [],
    "refresh_token": [
      "refresh_token",
      "refresh_token_expires_in",
      "refresh_token_expires_at"
    ],
    "client_credentials": [],
    "integration_refresh": [
      "refresh_token",
      "refresh_token_expires_in"
    ]
  },
  "undeclared": {
    "client_credentials": [
      "refresh_token",
      "refresh_token_expires_at",
      "refresh_token_expires_in"
    ],
    "integration_refresh": [
      "refresh_token_expires_at"
    ]
  },
  "fields": {
    "access_token": "string",
    "expires_in": "integer",
    "scope": "string",
    "token_type": "string",
    "refresh_token": "string",
    "refresh_token_expires_at": "integer",
    "refresh_token_expires_in": "integer"
  }
};

/** Error: Pinterest's `{ code, message }` error body. */
export const errorShape: Shape = {
  "required": [
    "code",
    "message"
  ],
  "fields": {
    "code": "integer",
    "message": "string"
  }
};
