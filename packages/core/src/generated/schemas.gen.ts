/**
 * The validation keywords of every component schema, for checking bodies at run time.
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change spec/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
 */

/** Component schemas by name; `$ref` holds a schema name. */
export const schemas = {
  "Account": {
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
  },
  "Error": {
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
  },
  "OauthAccessTokenRequest": {
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
  },
  "OauthAccessTokenRequestCode": {
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
  },
  "OauthAccessTokenRequestRefresh": {
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
  },
  "OauthAccessTokenRequestClientCredentials": {
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
  },
  "OauthAccessTokenResponse": {
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
  },
  "OauthAccessTokenResponseCode": {
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
  },
  "OauthAccessTokenResponseIntegrationRefresh": {
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
  },
  "TokenRevocationRequest": {
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
  },
  "OauthAccessTokenResponseRefresh": {
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
  },
  "OauthAccessTokenResponseClientCredentials": {
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
  }
} as const;
