/**
 * The types of the operations @pintoken/core calls itself (oauth/token, token/revoke), by openapi-typescript.
 * Every operation's types are in openapi.gen.ts, which only @pintoken/core/api exports.
 *
 * Generated from spec/openapi.yaml by spec/scripts/codegen.ts: do not edit.
 * Change packages/codegen/overlay.yaml or run `pnpm spec:update <file-or-url>`, then `pnpm generate`.
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
         * @description Generate a new OAuth access token using an authorization code; or refresh an existing one using a continuous refresh token.
         *
         *     Follow the complete steps for <a href='/docs/getting-started/set-up-authentication-and-authorization/' target='blank'>requesting and refreshing tokens</a>.
         *
         *     <strong>Note:</strong> If your app was created <strong>before September 25, 2025</strong>, make sure to set the <code>continuous_refresh</code> parameter to <code>true</code> to use the continuous refresh token (60-day expiration, refreshable indefinitely). Pinterest no longer supports the legacy refresh token (365-day expiration, hard limit).
         *
         *     Disregard this note if your app was activated on or after September 25, 2025. You are automatically using the continuous refresh token.
         *
         *     Use <a href='/docs/developer-tools/token-debugger/' target='blank'>Token Debugger</a> to validate and inspect your access token.
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
         * Revoke a token
         * @description Revokes an access or refresh token. Only tokens issued for system users are currently supported. Revoked tokens become immediately invalid and unusable.
         */
        post: operations["token/revoke"];
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
        /** Error */
        Error: {
            code: number;
            message: string;
        };
        /**
         * OAuth access token request
         * @description Describes the valid schema for possible OAuth access token requests.
         */
        OauthAccessTokenRequest: components["schemas"]["OauthAccessTokenRequestCode"] | components["schemas"]["OauthAccessTokenRequestRefresh"] | components["schemas"]["OauthAccessTokenRequestClientCredentials"];
        /**
         * authorization_code
         * @description A request to exchange an authorization code for an access token.
         */
        OauthAccessTokenRequestCode: {
            /** @enum {string} */
            grant_type: "authorization_code";
        } & ({
            code: string;
            redirect_uri: string;
            continuous_refresh?: boolean;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "authorization_code";
        });
        /**
         * refresh_token
         * @description A request to exchange a refresh token for a new access token.
         */
        OauthAccessTokenRequestRefresh: {
            /** @enum {string} */
            grant_type: "refresh_token";
        } & ({
            refresh_token: string;
            scope?: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "refresh_token";
        });
        /**
         * client_credentials
         * @description A request to receive a client token.
         */
        OauthAccessTokenRequestClientCredentials: {
            /** @enum {string} */
            grant_type: "client_credentials";
        } & ({
            scope: string;
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "client_credentials";
        });
        /**
         * OAuth access token response
         * @description A successful OAuth access token response.
         */
        OauthAccessTokenResponse: components["schemas"]["OauthAccessTokenResponseCode"] | components["schemas"]["OauthAccessTokenResponseRefresh"] | components["schemas"]["OauthAccessTokenResponseClientCredentials"] | components["schemas"]["OauthAccessTokenResponseIntegrationRefresh"];
        /**
         * OAuth access token response
         * @description A successful OAuth access token response for the authorization code flow.
         */
        OauthAccessTokenResponseCode: {
            access_token: string;
            expires_in: number;
            /** @enum {string} */
            response_type?: "authorization_code";
            scope: string;
            /** @default bearer */
            token_type: string;
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
        /**
         * OAuth access token response
         * @description A successful OAuth access token response for the refresh token flow, with an added refresh token.
         */
        OauthAccessTokenResponseIntegrationRefresh: {
            access_token: string;
            expires_in: number;
            /** @enum {string} */
            response_type?: "integration_refresh";
            scope: string;
            /** @default bearer */
            token_type: string;
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
        /** @description Describes the valid schema for token revocation requests. */
        TokenRevocationRequest: {
            /**
             * @description The token to revoke.
             * @example pinr.eyJhbGciOiJS...
             */
            token: string;
            /**
             * @description The type of the token to revoke. Please refer to [our developer guide for more information](https://developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/) for more information.
             * @enum {string}
             */
            token_type_hint?: "access_token" | "refresh_token";
        };
        /**
         * OAuth access token response
         * @description A successful OAuth access token response for the refresh token flow.
         */
        OauthAccessTokenResponseRefresh: {
            access_token: string;
            expires_in: number;
            /** @enum {string} */
            response_type?: "refresh_token";
            scope: string;
            /** @default bearer */
            token_type: string;
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
        /**
         * OAuth client token response
         * @description A successful OAuth client token response for the client token flow.
         */
        OauthAccessTokenResponseClientCredentials: {
            access_token: string;
            expires_in: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            response_type: "client_credentials";
            scope: string;
            /** @default bearer */
            token_type: string;
        };
    };
    responses: never;
    parameters: never;
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
        /** @description Generate an OAuth access token. */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["OauthAccessTokenRequest"];
            };
        };
        responses: {
            /** @description response */
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
        /** @description Body containing the token to revoke. */
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRevocationRequest"];
            };
        };
        responses: {
            /** @description Successful token revocation. No content is returned. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Client authentication error. */
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
            /** @description Client is not allowed to revoke token. */
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
}
