/**
 * Every operation of the Pinterest description, with spec-valid example responses, for the mock.
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change spec/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
 */

/** How each security scheme authenticates a request. */
export const securitySchemes = {
  "pinterest_oauth2": {
    "type": "oauth2",
    "flows": [
      "authorizationCode"
    ]
  },
  "basic": {
    "type": "http",
    "scheme": "basic"
  },
  "client_credentials": {
    "type": "oauth2",
    "flows": [
      "clientCredentials"
    ]
  }
} as const;

/** Every operation: method, path, security, parameters, request body and responses (with an example body each). */
export const operations = [
  {
    "operationId": "oauth/token",
    "method": "POST",
    "path": "/oauth/token",
    "security": [
      {
        "basic": []
      }
    ],
    "parameters": [],
    "requestBody": {
      "required": true,
      "contentTypes": [
        "application/x-www-form-urlencoded"
      ],
      "schema": "OauthAccessTokenRequest"
    },
    "responses": {
      "200": {
        "description": "response",
        "schema": "OauthAccessTokenResponse",
        "example": {
          "refresh_token": "string",
          "refresh_token_expires_at": 0,
          "refresh_token_expires_in": 0,
          "access_token": "string",
          "expires_in": 0,
          "response_type": "authorization_code",
          "scope": "string",
          "token_type": "bearer"
        }
      },
      "default": {
        "description": "Unexpected error",
        "schema": "Error",
        "example": {
          "code": 0,
          "message": "string"
        }
      }
    }
  },
  {
    "operationId": "token/revoke",
    "method": "POST",
    "path": "/oauth/token/revoke",
    "security": [
      {
        "basic": []
      }
    ],
    "parameters": [],
    "requestBody": {
      "required": true,
      "contentTypes": [
        "application/x-www-form-urlencoded"
      ],
      "schema": "TokenRevocationRequest"
    },
    "responses": {
      "200": {
        "description": "Successful token revocation. No content is returned."
      },
      "401": {
        "description": "Client authentication error.",
        "schema": "Error",
        "example": {
          "code": 2,
          "message": "Authentication failed."
        }
      },
      "403": {
        "description": "Client is not allowed to revoke token.",
        "schema": "Error",
        "example": {
          "code": 29,
          "message": "You are not permitted to access that resource."
        }
      },
      "default": {
        "description": "Unexpected error",
        "schema": "Error",
        "example": {
          "code": 0,
          "message": "string"
        }
      }
    }
  },
  {
    "operationId": "user_account/get",
    "method": "GET",
    "path": "/user_account",
    "security": [
      {
        "pinterest_oauth2": [
          "user_accounts:read"
        ]
      },
      {
        "client_credentials": [
          "user_accounts:read"
        ]
      }
    ],
    "parameters": [
      {
        "name": "ad_account_id",
        "in": "query",
        "required": false,
        "schema": {
          "type": "string",
          "maxLength": 18,
          "pattern": "^\\d+$"
        }
      }
    ],
    "responses": {
      "200": {
        "description": "response",
        "schema": "Account",
        "example": {
          "about": "string",
          "account_type": "PINNER",
          "board_count": 14,
          "business_name": "string",
          "follower_count": 10,
          "following_count": 347,
          "id": "2783136121146311751",
          "monthly_views": 163,
          "pin_count": 339,
          "profile_image": "string",
          "username": "string",
          "website_url": "string"
        }
      },
      "403": {
        "description": "Not authorized to access the user account.",
        "schema": "Error",
        "example": {
          "code": 403,
          "message": "Not authorized to access the user account."
        }
      },
      "default": {
        "description": "Unexpected error",
        "schema": "Error",
        "example": {
          "code": 0,
          "message": "string"
        }
      }
    }
  }
] as const;
