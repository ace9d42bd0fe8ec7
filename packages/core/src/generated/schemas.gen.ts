/**
 * The validation keywords of every component schema, for checking bodies at run time.
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change spec/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
 */

const schema0_Account = {
  "type": "object",
  "properties": {
    "about": {
      "type": "string"
    },
    "account_type": {
      "type": "string",
      "enum": [
        "PINNER",
        "BUSINESS"
      ]
    },
    "board_count": {
      "type": "integer",
      "nullable": true
    },
    "business_name": {
      "type": "string",
      "nullable": true
    },
    "follower_count": {
      "type": "integer",
      "nullable": true
    },
    "following_count": {
      "type": "integer",
      "nullable": true
    },
    "id": {
      "type": "string",
      "pattern": "^\\d+$"
    },
    "monthly_views": {
      "type": "integer",
      "nullable": true
    },
    "pin_count": {
      "type": "integer",
      "nullable": true
    },
    "profile_image": {
      "type": "string"
    },
    "username": {
      "type": "string"
    },
    "website_url": {
      "type": "string"
    }
  }
} as const;

const schema1_Error = {
  "type": "object",
  "properties": {
    "code": {
      "type": "integer"
    },
    "message": {
      "type": "string"
    }
  },
  "required": [
    "code",
    "message"
  ]
} as const;

const schema2_OauthAccessTokenRequest = {
  "discriminator": {
    "propertyName": "grant_type",
    "mapping": {
      "authorization_code": "#/components/schemas/OauthAccessTokenRequestCode",
      "refresh_token": "#/components/schemas/OauthAccessTokenRequestRefresh",
      "client_credentials": "#/components/schemas/OauthAccessTokenRequestClientCredentials"
    }
  },
  "oneOf": [
    {
      "$ref": "OauthAccessTokenRequestCode"
    },
    {
      "$ref": "OauthAccessTokenRequestRefresh"
    },
    {
      "$ref": "OauthAccessTokenRequestClientCredentials"
    }
  ]
} as const;

const schema3_OauthAccessTokenRequestCode = {
  "type": "object",
  "properties": {
    "grant_type": {
      "type": "string",
      "enum": [
        "authorization_code"
      ]
    }
  },
  "allOf": [
    {
      "type": "object",
      "properties": {
        "code": {
          "type": "string"
        },
        "redirect_uri": {
          "type": "string"
        },
        "continuous_refresh": {
          "type": "boolean"
        }
      },
      "required": [
        "code",
        "redirect_uri"
      ]
    }
  ],
  "required": [
    "grant_type"
  ]
} as const;

const schema4_OauthAccessTokenRequestRefresh = {
  "type": "object",
  "properties": {
    "grant_type": {
      "type": "string",
      "enum": [
        "refresh_token"
      ]
    }
  },
  "allOf": [
    {
      "type": "object",
      "properties": {
        "refresh_token": {
          "type": "string"
        },
        "scope": {
          "type": "string"
        }
      },
      "required": [
        "refresh_token"
      ]
    }
  ],
  "required": [
    "grant_type"
  ]
} as const;

const schema5_OauthAccessTokenRequestClientCredentials = {
  "type": "object",
  "properties": {
    "grant_type": {
      "type": "string",
      "enum": [
        "client_credentials"
      ]
    }
  },
  "allOf": [
    {
      "type": "object",
      "properties": {
        "scope": {
          "type": "string"
        }
      },
      "required": [
        "scope"
      ]
    }
  ],
  "required": [
    "grant_type"
  ]
} as const;

const schema6_OauthAccessTokenResponse = {
  "discriminator": {
    "propertyName": "response_type",
    "mapping": {
      "authorization_code": "#/components/schemas/OauthAccessTokenResponseCode",
      "refresh_token": "#/components/schemas/OauthAccessTokenResponseRefresh",
      "client_credentials": "#/components/schemas/OauthAccessTokenResponseClientCredentials",
      "integration_refresh": "#/components/schemas/OauthAccessTokenResponseIntegrationRefresh"
    }
  },
  "oneOf": [
    {
      "$ref": "OauthAccessTokenResponseCode"
    },
    {
      "$ref": "OauthAccessTokenResponseRefresh"
    },
    {
      "$ref": "OauthAccessTokenResponseClientCredentials"
    },
    {
      "$ref": "OauthAccessTokenResponseIntegrationRefresh"
    }
  ]
} as const;

const schema7_OauthAccessTokenResponseCode = {
  "type": "object",
  "properties": {
    "access_token": {
      "type": "string"
    },
    "expires_in": {
      "type": "integer"
    },
    "response_type": {
      "type": "string",
      "enum": [
        "authorization_code"
      ]
    },
    "scope": {
      "type": "string"
    },
    "token_type": {
      "type": "string"
    }
  },
  "allOf": [
    {
      "type": "object",
      "properties": {
        "refresh_token": {
          "type": "string"
        },
        "refresh_token_expires_at": {
          "type": "integer"
        },
        "refresh_token_expires_in": {
          "type": "integer"
        }
      }
    }
  ],
  "required": [
    "access_token",
    "token_type",
    "expires_in",
    "scope"
  ]
} as const;

const schema8_OauthAccessTokenResponseIntegrationRefresh = {
  "type": "object",
  "properties": {
    "access_token": {
      "type": "string"
    },
    "expires_in": {
      "type": "integer"
    },
    "response_type": {
      "type": "string",
      "enum": [
        "integration_refresh"
      ]
    },
    "scope": {
      "type": "string"
    },
    "token_type": {
      "type": "string"
    }
  },
  "allOf": [
    {
      "type": "object",
      "properties": {
        "refresh_token": {
          "type": "string"
        },
        "refresh_token_expires_in": {
          "type": "integer"
        }
      },
      "required": [
        "refresh_token",
        "refresh_token_expires_in"
      ]
    }
  ],
  "required": [
    "access_token",
    "token_type",
    "expires_in",
    "scope"
  ]
} as const;

const schema9_TokenRevocationRequest = {
  "type": "object",
  "properties": {
    "token": {
      "type": "string"
    },
    "token_type_hint": {
      "type": "string",
      "enum": [
        "access_token",
        "refresh_token"
      ]
    }
  },
  "required": [
    "token"
  ]
} as const;

const schema10_OauthAccessTokenResponseRefresh = {
  "type": "object",
  "allOf": [
    {
      "type": "object",
      "properties": {
        "access_token": {
          "type": "string"
        },
        "expires_in": {
          "type": "integer"
        },
        "response_type": {
          "type": "string",
          "enum": [
            "refresh_token"
          ]
        },
        "scope": {
          "type": "string"
        },
        "token_type": {
          "type": "string"
        }
      },
      "required": [
        "access_token",
        "token_type",
        "expires_in",
        "scope"
      ]
    },
    {
      "type": "object",
      "properties": {
        "refresh_token": {
          "type": "string"
        },
        "refresh_token_expires_at": {
          "type": "integer"
        },
        "refresh_token_expires_in": {
          "type": "integer"
        }
      },
      "required": [
        "refresh_token",
        "refresh_token_expires_in",
        "refresh_token_expires_at"
      ]
    }
  ],
  "required": [
    "refresh_token",
    "refresh_token_expires_in",
    "refresh_token_expires_at"
  ]
} as const;

const schema11_OauthAccessTokenResponseClientCredentials = {
  "type": "object",
  "properties": {
    "access_token": {
      "type": "string"
    },
    "expires_in": {
      "type": "integer"
    },
    "response_type": {
      "type": "string",
      "enum": [
        "client_credentials"
      ]
    },
    "scope": {
      "type": "string"
    },
    "token_type": {
      "type": "string"
    }
  },
  "required": [
    "access_token",
    "token_type",
    "expires_in",
    "scope"
  ]
} as const;

/**
 * Component schemas by name; `$ref` holds a schema name.
 *
 * @example
 * ```ts
 * const issues = validate(schemas, "OauthAccessTokenResponse", await response.json());
 * ```
 */
export const schemas = {
  "Account": schema0_Account,
  "Error": schema1_Error,
  "OauthAccessTokenRequest": schema2_OauthAccessTokenRequest,
  "OauthAccessTokenRequestCode": schema3_OauthAccessTokenRequestCode,
  "OauthAccessTokenRequestRefresh": schema4_OauthAccessTokenRequestRefresh,
  "OauthAccessTokenRequestClientCredentials": schema5_OauthAccessTokenRequestClientCredentials,
  "OauthAccessTokenResponse": schema6_OauthAccessTokenResponse,
  "OauthAccessTokenResponseCode": schema7_OauthAccessTokenResponseCode,
  "OauthAccessTokenResponseIntegrationRefresh": schema8_OauthAccessTokenResponseIntegrationRefresh,
  "TokenRevocationRequest": schema9_TokenRevocationRequest,
  "OauthAccessTokenResponseRefresh": schema10_OauthAccessTokenResponseRefresh,
  "OauthAccessTokenResponseClientCredentials": schema11_OauthAccessTokenResponseClientCredentials,
} as const;
