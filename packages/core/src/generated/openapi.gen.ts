/**
 * Types of Pinterest API v5 paths and schemas (openapi-typescript).
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change spec/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
 */

export interface paths {
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Generate OAuth access token
         * @description Generate an OAuth access token by using an authorization code or a refresh token.
         *
         *     IMPORTANT: You need to start the OAuth flow via www.pinterest.com/oauth before calling this endpoint (or have an existing refresh token).
         *
         *     See <a href='/docs/getting-started/authentication-and-scopes/'>Authentication</a> for more.
         *
         *     <strong>Continuous refresh tokens:</strong> apps created before September 25, 2025 must send <code>continuous_refresh=true</code> to receive a continuous refresh token, which expires in 60 days and can be refreshed indefinitely. The legacy refresh token, which has a hard 365-day expiry, is no longer supported. Apps activated on or after September 25, 2025 receive continuous refresh tokens automatically.
         *
         *     Use the <a href='/docs/developer-tools/token-debugger/'>Token Debugger</a> to inspect a token.
         */
        post: operations["oauth/token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth/token/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an OAuth token
         * @description Revoke an access token or a refresh token so that it can no longer be used.
         */
        post: operations["token/revoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/user_account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get user account
         * @description Get account information for the operation user_account.
         */
        get: operations["user_account/get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** Account */
        Account: {
            /** @enum {string} */
            account_type?: "PINNER" | "BUSINESS";
            /**
             * @description User account ID.
             * @example 2783136121146311751
             */
            id?: string;
            profile_image?: string;
            website_url?: string;
            username?: string;
            /** @description Profile description. */
            about?: string;
            /** @description Business name. Only for business accounts. */
            business_name?: string | null;
            /** @description User account board count. */
            board_count?: number | null;
            /** @description User account pin count. */
            pin_count?: number | null;
            /** @description User account follower count. */
            follower_count?: number | null;
            /** @description User account following count. */
            following_count?: number | null;
            /** @description User account monthly views. */
            monthly_views?: number | null;
        };
        Error: {
            code: number;
            message: string;
        };
        /** OAuth access token request */
        OauthAccessTokenRequest: components["schemas"]["OauthAccessTokenRequestCode"] | components["schemas"]["OauthAccessTokenRequestRefresh"] | components["schemas"]["OauthAccessTokenRequestClientCredentials"];
        /** authorization_code */
        OauthAccessTokenRequestCode: {
            /** @enum {string} */
            grant_type: "authorization_code";
        } & ({
            /** @description Code received in the OAuth redirect. */
            code: string;
            /** @description The redirect URI used in the authorization step; it must be one registered for the app. */
            redirect_uri: string;
            /** @description Apps created before 2025-09-25 send true to receive a continuous refresh token (60-day expiry, refreshable indefinitely) instead of the no-longer-supported legacy one. Newer apps get one anyway. */
            continuous_refresh?: boolean;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "authorization_code";
        });
        /** refresh_token */
        OauthAccessTokenRequestRefresh: {
            /** @enum {string} */
            grant_type: "refresh_token";
        } & ({
            /** @description The refresh token. */
            refresh_token: string;
            /** @description The scopes to request for the new access token. */
            scope?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "refresh_token";
        });
        /** client_credentials */
        OauthAccessTokenRequestClientCredentials: {
            /** @enum {string} */
            grant_type: "client_credentials";
        } & ({
            /** @description The scopes to request, comma-separated. */
            scope: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "client_credentials";
        });
        /** OAuth access token response */
        OauthAccessTokenResponse: components["schemas"]["OauthAccessTokenResponseCode"] | components["schemas"]["OauthAccessTokenResponseRefresh"] | components["schemas"]["OauthAccessTokenResponseClientCredentials"] | components["schemas"]["OauthAccessTokenResponseIntegrationRefresh"];
        /** OAuth access token response (authorization code) */
        OauthAccessTokenResponseCode: {
            access_token: string;
            /** @default bearer */
            token_type: string;
            expires_in: number;
            scope: string;
            /** @enum {string} */
            response_type?: "authorization_code";
        } & ({
            refresh_token?: string;
            refresh_token_expires_at?: number;
            refresh_token_expires_in?: number;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            response_type: "authorization_code";
        });
        /** OAuth access token response (refresh token) */
        OauthAccessTokenResponseRefresh: {
            access_token: string;
            /** @default bearer */
            token_type: string;
            expires_in: number;
            scope: string;
            /** @enum {string} */
            response_type?: "refresh_token";
        } & {
            refresh_token: string;
            refresh_token_expires_at: number;
            refresh_token_expires_in: number;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            response_type: "refresh_token";
        };
        /** OAuth client token response */
        OauthAccessTokenResponseClientCredentials: {
            access_token: string;
            /** @default bearer */
            token_type: string;
            expires_in: number;
            scope: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            response_type: "client_credentials";
        };
        /** OAuth access token response (integration refresh) */
        OauthAccessTokenResponseIntegrationRefresh: {
            access_token: string;
            /** @default bearer */
            token_type: string;
            expires_in: number;
            scope: string;
            /** @enum {string} */
            response_type?: "integration_refresh";
        } & ({
            refresh_token: string;
            refresh_token_expires_in: number;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            response_type: "integration_refresh";
        });
        /** Token revocation request */
        TokenRevocationRequest: {
            /**
             * @description The token to revoke.
             * @example pinr.eyJhbGciOiJS...
             */
            token: string;
            /**
             * @description A hint about the type of the token.
             * @enum {string}
             */
            token_type_hint?: "access_token" | "refresh_token";
        };
    };
    responses: never;
    parameters: {
        /** @description Unique identifier of an ad account. */
        query_ad_account_id: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["OauthAccessTokenRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OauthAccessTokenResponse"];
                };
            };
            /** @description Unexpected error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "token/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRevocationRequest"];
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Unauthorized access */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": 2,
                     *       "message": "Authentication failed."
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Forbidden */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": 29,
                     *       "message": "You are not permitted to access that resource."
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    "user_account/get": {
        parameters: {
            query?: {
                /** @description Unique identifier of an ad account. */
                ad_account_id?: components["parameters"]["query_ad_account_id"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /** @description Not authorized to access the user account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "code": 403,
                     *       "message": "Not authorized to access the user account."
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Unexpected error */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
