/**
 * Generated from the Chorus OpenAPI document by scripts/generate-api.ts. Do not edit.
 */

export interface paths {
    "/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an organisation and its owner
         * @description The password must be 10 to 256 characters, not only whitespace, not a common password and not contain the e-mail address’s local part (400 naming `password`). An address that already has an account gets an answer of the same shape whose token signs nobody in, and nothing is created, so this route does not reveal who has an account. At most 30 requests a minute per client address (429 with Retry-After).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["RegisterBody"];
                };
            };
            responses: {
                /** @description Registered and signed in */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionAnswer"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many attempts (rate_limited); wait the Retry-After seconds */
                429: {
                    headers: {
                        /** @description Seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in
         * @description Answers 401 invalid_credentials for an unknown e-mail and a wrong password alike. At most 5 passwords are checked per account in 15 minutes (parallel attempts included) and at most 30 failed sign-ins a minute are allowed per client address; beyond, 429 rate_limited with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["LoginBody"];
                };
            };
            responses: {
                /** @description Signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionAnswer"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unknown e-mail or wrong password (invalid_credentials) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many attempts (rate_limited); wait the Retry-After seconds */
                429: {
                    headers: {
                        /** @description Seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End this session everywhere */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user, organisation and permissions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description You */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Me"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change your name or whether notifications are mailed */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MePatch"];
                };
            };
            responses: {
                /** @description You */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: components["schemas"]["MeUser"];
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pending invitations (owner, admin), newest first */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Pending invitations */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["PendingInvitation"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Invite someone to the organisation (owner, admin) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["InvitationBody"];
                };
            };
            responses: {
                /** @description Invitation with its one-time token */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Invitation"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/accept-invitation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invitation: creates the user and signs in */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AcceptInvitationBody"];
                };
            };
            responses: {
                /** @description Joined and signed in */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionAnswer"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a password-reset link
         * @description Answers 202 whether or not the address has an account. The link holds a one-time token valid for 1 hour.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["EmailBody"];
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many attempts (rate_limited); wait the Retry-After seconds */
                429: {
                    headers: {
                        /** @description Seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password-reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Choose a new password with a reset token
         * @description Every session of the account ends. A used or expired token answers 400 invalid_token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PasswordResetConfirmBody"];
                };
            };
            responses: {
                /** @description Password changed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/magic-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a one-time sign-in link
         * @description Answers 202 whether or not the address has an account. The token is valid for 15 minutes.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["EmailBody"];
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Too many attempts (rate_limited); wait the Retry-After seconds */
                429: {
                    headers: {
                        /** @description Seconds to wait */
                        "Retry-After"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/magic-link/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with a magic-link token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MagicLinkVerifyBody"];
                };
            };
            responses: {
                /** @description Signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionAnswer"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change your password
         * @description Your other sessions end. A wrong current password answers 403.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PasswordChangeBody"];
                };
            };
            responses: {
                /** @description Changed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your signed-in sessions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Sessions */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["SessionItem"][];
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one of your sessions
         * @description It stops working at once; its open sockets and collaboration sessions close within 5 s.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ended */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a pending invitation (owner, admin); its link stops working */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a pending invitation again (owner, admin)
         * @description The mail holds a new link, valid for 7 days; the previous link stops working.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The invitation with its new token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Invitation"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/mail/outbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Mail written to the local outbox (owners; only when no SMTP server is configured)
         * @description Other members' sign-in and password-reset mails are left out. Answers 404 when mail goes through SMTP_URL.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Outbox */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["OutboxMail"][];
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's members */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Members */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["User"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One member */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The member */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change role, activity or name
         * @description Owners and admins change roles and deactivate (only owners make or demote owners); deactivating ends the member's sessions. The last active owner cannot be demoted or deactivated (409). Members may rename themselves.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["UserPatch"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/organisation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your organisation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The organisation */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Organisation"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit the organisation (owner) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OrganisationPatch"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Organisation"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/organisation/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's webhook endpoint (owner, admin); 404 when none */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookEndpoint"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Set the webhook endpoint that receives signed post lifecycle events (owner, admin) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointPut"];
                };
            };
            responses: {
                /** @description Saved */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookEndpoint"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        /** Remove the webhook endpoint and its undelivered events (owner, admin) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organisation/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organisation's webhook endpoints as a list of zero or one (owner, admin): 200 either way */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Endpoints */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookEndpoint"][];
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organisation/connectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Connector accounts per platform (owner, admin); platforms without one use the sandbox */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Accounts */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["ConnectorAccount"][];
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organisation/connectors/{platform}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set the connector and credentials a platform's posts are published with (owner, admin) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    platform: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ConnectorAccountPut"];
                };
            };
            responses: {
                /** @description Saved */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ConnectorAccount"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        /** Remove a platform's connector account (its posts go back to the sandbox) (owner, admin) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    platform: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reference-data": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Roles, platforms, industries and subscription tiers */
        get: {
            parameters: {
                query?: {
                    category?: "user_role" | "platform" | "industry" | "subscription_tier";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Reference data */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["ReferenceDataItem"][];
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Clients, by name */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of clients */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Client"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create a client (owner, admin, manager) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ClientCreate"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Client"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One client */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The client */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Client"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a client with its campaigns, posts, notes and assets (owner, admin) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Edit a client (owner, admin, manager); honours If-Match */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ClientPatch"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Client"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Campaigns by start date, then id; filter by clientId (404 if not visible) */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    clientId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of campaigns */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Campaign"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a campaign (owner, admin, manager)
         * @description Names are unique per client, case-insensitively (409). A budget is a decimal string with its ISO-4217 currency.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CampaignCreate"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Campaign"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One campaign */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The campaign */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Campaign"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a campaign with its posts, notes and assets (owner, admin) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Edit a campaign (owner, admin, manager); honours If-Match
         * @description clientId moves the campaign to another client (422 naming the field if not visible). Budget amount and currency are set together or both cleared (null).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CampaignPatch"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Campaign"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/campaigns/{id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Post counts by status and the latest metric totals (sum of each post's latest snapshot) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Summary */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CampaignSummary"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/posts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Posts by scheduledAt, then id (unscheduled last); filter by campaignId, status, from, to
         * @description from is inclusive and to exclusive, both on scheduledAt; a time filter leaves out unscheduled posts.
         */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    campaignId?: string;
                    status?: "draft" | "in_review" | "client_review" | "changes_requested" | "approved" | "scheduled" | "publishing" | "published" | "failed" | "cancelled";
                    /** @description scheduledAt at or after */
                    from?: string;
                    /** @description scheduledAt before */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of posts */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Post"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a draft post (editor and above)
         * @description platform defaults to the campaign's. assetIds moves existing assets of your organisation onto the post (422 naming the field for an id you cannot see). Platform rules are not checked for drafts.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PostCreate"];
                };
            };
            responses: {
                /** @description Created as draft */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Post"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/posts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One post */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The post */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Post"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a post with its notes and assets (editor and above) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Edit a post (editor and above); honours If-Match
         * @description A change to the content, platform or media (assetIds) of an approved, client_review or scheduled post sends it back to in_review. A scheduled post keeps a future scheduledAt (422 otherwise). campaignId moves the post to another campaign (422 naming the field if not visible). Content is merged into the live collaborative document as a diff. The content, platform and media of a publishing, published or cancelled post cannot change (409 conflict); publishing and published posts cannot be edited at all.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PostPatch"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Post"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/posts/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a post through its status machine
         * @description The moves are listed in docs/api-rules.md. In short: draft → in_review → (approved | changes_requested); with the client's approvalPolicy team_and_client the team's approval moves in_review → client_review and a client member's approval client_review → (approved | changes_requested); changes_requested → in_review; approved → scheduled (future scheduledAt and valid content); failed → scheduled; any non-published status → cancelled; cancelled → draft; in_review | approved | scheduled → draft. Approve, request changes, schedule and cancel need manager or above; submit, withdraw and resubmit editor or above; publishing/published/failed are the publisher's. 409 invalid_transition otherwise; 422 naming the platform rule a post breaks when submitted or scheduled (errors[].path is content or assetIds). reason is kept as statusReason for changes_requested and cancelled. Every move records a version. Honours If-Match.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PostStatusChange"];
                };
            };
            responses: {
                /** @description The post in its new status */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Post"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/posts/{id}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A post's versions, newest first
         * @description One version each time the post was created or its status changed, holding the content at that moment.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The versions */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PostVersionList"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/posts/{id}/versions/{versionId}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put a version's content back (editor and above)
         * @description An edit like any other: an approved, client_review or scheduled post goes back to in_review, a frozen one answers 409, and the text is merged into the live document.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    versionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The post with that content */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Post"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A campaign's or post's notes: a flat list in creation order, replies carrying parentId
         * @description Give exactly one of campaignId or postId (400 otherwise; 404 when you cannot see it). Every note of the target, top-level and replies alike, oldest first; rebuild threads from parentId. Paged with limit and cursor.
         */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    campaignId?: string;
                    postId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of notes */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Note"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Write a note or a reply (every member, viewers too)
         * @description Every member may write notes, viewers too. A top-level note names exactly one of campaignId or postId. A reply gives parentId and takes its parent's target: send parentId alone, or with the parent's own campaignId/postId; naming a different target is 422 with the field named (campaignId or postId), never a silent move. A parent or target you cannot see is 422 naming parentId, campaignId or postId.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NoteCreate"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Note"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a note and its replies (its author, an owner or an admin)
         * @description Replies are deleted with their parent, at any depth (they would lose their context); each deleted note is announced as a delete change. Same rule as editing: the author, or an owner or admin.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Edit a note (its author, an owner or an admin); merged into the note's live document
         * @description Only the note's author may edit it, and owners and admins may moderate anyone's; other members get 403 (404 first when the note is not visible). The new body is merged into the note's collaborative document (note:<id>) in the same transaction. Honours If-Match: "<version>" (412 when stale).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NotePatch"];
                };
            };
            responses: {
                /** @description Updated */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Note"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your notifications, newest first, with your unread count */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description true: only unread; false: only read; absent: all */
                    unread?: "true" | "false";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Notifications */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["NotificationPage"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/notifications/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark notifications read: {ids} or {all: true}
         * @description Ids that are not your notifications are ignored.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MarkReadBody"];
                };
            };
            responses: {
                /** @description Marked */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Store engagement snapshots (owner, admin, manager); idempotent on (postId, capturedAt)
         * @description Up to 10,000 snapshots per call, written in one statement. A (postId, capturedAt) already stored — or repeated within the call — is counted in `duplicates` and left as it was, so a retry is harmless. A postId you cannot see is 422 naming snapshots.<i>.postId, and nothing is stored. Negative or fractional counts, and a capturedAt more than a day in the future, are 400.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MetricsIngest"];
                };
            };
            responses: {
                /** @description Counts of new and already-stored snapshots */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MetricsIngestAnswer"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 16 MiB (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/posts/{id}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A post's metrics series (hour or day buckets)
         * @description Counts are cumulative, so each bucket (UTC hour or day) holds the latest snapshot taken in it; buckets without a snapshot are left out. `from` defaults to 30 days before `to` (default now); a window may span at most 93 days of hours or 5 years of days (400 beyond). `latest` is the newest snapshot ever stored for the post, whatever the window. Every member may read.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Default: 30 days before `to` */
                    from?: string;
                    /** @description Default: now */
                    to?: string;
                    interval?: "hour" | "day";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Series and latest */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MetricSeries"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/campaigns/{id}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A campaign's metrics series: sums over its posts
         * @description For each bucket in which any of the campaign's posts has a snapshot: the sum over all its posts of each post's latest counts at or before that bucket (a post not polled in the bucket still counts with its previous values; one never polled counts zero). `latest` sums every post's newest snapshot. Same window rules as a post's series.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Default: 30 days before `to` */
                    from?: string;
                    /** @description Default: now */
                    to?: string;
                    interval?: "hour" | "day";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Series and latest */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MetricSeries"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A campaign's or a post's assets; with neither, every asset of the organisation (the media library)
         * @description An asset keeps the campaign or post it was uploaded to (campaignId, postId) and any post of the same client may use it (a post's assetIds). `postId` lists the files a post uses; `clientId`, `type` and `q` narrow the library; `order=newest` lists the latest uploads first.
         */
        get: {
            parameters: {
                query?: {
                    /** @description At most 200 */
                    limit?: number;
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description Files uploaded to this campaign */
                    campaignId?: string;
                    /** @description Files this post uses (its assetIds give their order) */
                    postId?: string;
                    /** @description The client's files, wherever they were uploaded */
                    clientId?: string;
                    type?: "image" | "video" | "document";
                    /** @description Part of the file name, any case */
                    q?: string;
                    /** @description By upload time */
                    order?: "oldest" | "newest";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of assets */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Asset"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Upload a media file to a campaign or a post (editor and above)
         * @description multipart/form-data with one `file` part and a `campaignId` or `postId` field (any other field is 400). The type is decided from the bytes alone: PNG, JPEG, GIF, WebP, AVIF, MP4, WebM or PDF; anything else is 415. A file over the size limit (ASSET_MAX_BYTES, 50 MB by default) is 413, and so is one that would take the organisation past its storage quota (`organisations.storage_quota_bytes`): in both cases reading stops at once and nothing is kept. A campaign or post you cannot see is 422 naming the field. The answer carries the sha256 of the bytes and a `contentUrl`. A file uploaded to a post becomes the last of its media: an edit of the post, so a published post refuses it (409) and an approved or scheduled one goes back to review.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** Format: binary */
                        file: string;
                        /** Format: uuid */
                        campaignId?: string;
                        /** Format: uuid */
                        postId?: string;
                    };
                };
            };
            responses: {
                /** @description Stored */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Asset"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict with current state (conflict, invalid_transition) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description If-Match version is stale (precondition_failed) */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Over the size limit (ASSET_MAX_BYTES, 50 MB by default) or the organisation quota (payload_too_large) */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an image (PNG, JPEG, GIF, WebP, AVIF), MP4, WebM or PDF, judged from the bytes (unsupported_media_type) */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Refers to something you cannot see, or breaks a rule (unprocessable) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One asset */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The asset */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Asset"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete an asset and its file (editor and above)
         * @description The file is first taken off every post that uses it, each an edit of that post (an approved or scheduled post goes back to review). A file used by a publishing, published or cancelled post cannot be deleted (409).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Used by a post whose media can no longer change (conflict) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The file itself, with nosniff and a safe Content-Disposition
         * @description Served with its stored media type, `X-Content-Type-Options: nosniff`, a sandboxing CSP and `Content-Disposition` (inline for images and video, attachment for PDF; the name as an ASCII fallback plus RFC 5987 `filename*`). Honours a single `Range: bytes=…` (206) and `If-None-Match` against the sha256 ETag (304).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The bytes */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                        "image/jpeg": string;
                        "image/gif": string;
                        "image/webp": string;
                        "image/avif": string;
                        "video/mp4": string;
                        "video/webm": string;
                        "application/pdf": string;
                    };
                };
                /** @description The requested byte range */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/png": string;
                        "image/jpeg": string;
                        "image/gif": string;
                        "image/webp": string;
                        "image/avif": string;
                        "video/mp4": string;
                        "video/webm": string;
                        "application/pdf": string;
                    };
                };
                /** @description Unchanged (If-None-Match) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organisation's change feed after a seq
         * @description The same feed sockets receive as `change` events. seq rises strictly and without gaps within an organisation. When `after` is older than the retained history (or newer than the feed), the answer has `resync: true` and no changes: refetch the resources, then continue from `lastSeq`.
         */
        get: {
            parameters: {
                query?: {
                    after?: number | null;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Changes in seq order */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changes: components["schemas"]["Change"][];
                            lastSeq: number;
                            resync: boolean;
                        };
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find clients, campaigns, posts and notes
         * @description Every word matches by prefix, case- and accent-insensitively (`cafe` finds `Café`); best match first (names before text). Only what the caller may see.
         */
        get: {
            parameters: {
                query: {
                    q: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Matches */
                200: {
                    headers: {
                        /** @description The organisation's change-feed head, read before this answer's state: every change up to it is reflected here. Join the socket feed from it. */
                        "X-Chorus-Seq"?: number;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SearchAnswer"];
                    };
                };
                /** @description Invalid request (validation_failed) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No valid session (unauthenticated) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Role may not do this, or cross-site request (forbidden) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found in your organisation (not_found) */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
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
        SessionAnswer: {
            user: components["schemas"]["User"];
            organisation: components["schemas"]["Organisation"];
            /** @description Send as Authorization: Bearer <token>; also set as the chorus_session cookie */
            token: string;
        };
        User: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            updatedBy: string | null;
            version: number;
            /** Format: uuid */
            organisationId: string;
            email: string;
            name: string;
            /** @enum {string} */
            role: "owner" | "admin" | "manager" | "editor" | "viewer" | "client";
            isActive: boolean;
            /** @description The clients a client member sees; empty for the team */
            clientIds: string[];
        };
        Organisation: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            updatedBy: string | null;
            version: number;
            name: string;
            industry: string | null;
            subscriptionTier: string;
        };
        Problem: {
            type: string;
            title: string;
            status: number;
            code: string;
            detail: string;
            errors?: {
                path: string;
                message: string;
            }[];
        };
        RegisterBody: {
            organisationName: string;
            name: string;
            /**
             * Format: email
             * @example ada@agency.example
             */
            email: string;
            password: string;
            /** @description An industry code from reference data */
            industry?: string;
        };
        LoginBody: {
            email: string;
            password: string;
        };
        Me: {
            user: components["schemas"]["MeUser"];
            organisation: components["schemas"]["Organisation"];
            permissions: string[];
        };
        MeUser: components["schemas"]["User"] & {
            /** @description Whether notifications are also mailed */
            emailNotifications: boolean;
        };
        Invitation: {
            /** Format: uuid */
            id: string;
            email: string;
            /** @enum {string} */
            role: "owner" | "admin" | "manager" | "editor" | "viewer" | "client";
            clientIds: string[];
            token: string;
            expiresAt: string;
        };
        InvitationBody: {
            /**
             * Format: email
             * @example ada@agency.example
             */
            email: string;
            /** @enum {string} */
            role: "owner" | "admin" | "manager" | "editor" | "viewer" | "client";
            /** @description The clients a client member may see: required for role client, refused for others */
            clientIds?: string[];
        };
        AcceptInvitationBody: {
            token: string;
            name: string;
            password: string;
        };
        EmailBody: {
            /**
             * Format: email
             * @example ada@agency.example
             */
            email: string;
        };
        PasswordResetConfirmBody: {
            token: string;
            password: string;
        };
        MagicLinkVerifyBody: {
            token: string;
        };
        MePatch: {
            name?: string;
            emailNotifications?: boolean;
        };
        PasswordChangeBody: {
            currentPassword: string;
            newPassword: string;
        };
        SessionItem: {
            /** Format: uuid */
            id: string;
            createdAt: string;
            lastSeenAt: string;
            userAgent: string | null;
            current: boolean;
        };
        PendingInvitation: {
            /** Format: uuid */
            id: string;
            email: string;
            /** @enum {string} */
            role: "owner" | "admin" | "manager" | "editor" | "viewer" | "client";
            clientIds: string[];
            expiresAt: string;
            createdAt: string;
            /** Format: uuid */
            createdBy: string | null;
        };
        OutboxMail: {
            /** Format: uuid */
            id: string;
            to: string;
            subject: string;
            text: string;
            sentAt: string;
        };
        UserPatch: {
            /** @enum {string} */
            role?: "owner" | "admin" | "manager" | "editor" | "viewer";
            isActive?: boolean;
            name?: string;
            clientIds?: string[];
        };
        OrganisationPatch: {
            name?: string;
            industry?: string | null;
            subscriptionTier?: string;
        };
        WebhookEndpoint: {
            url: string;
            isActive: boolean;
            /** @enum {boolean} */
            hasSecret: true;
            createdAt: string;
            updatedAt: string;
        };
        WebhookEndpointPut: {
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; required the first time, kept when omitted later */
            secret?: string;
            isActive?: boolean;
        };
        ConnectorAccount: {
            platform: string;
            /** @enum {string} */
            connector: "sandbox" | "mastodon";
            baseUrl: string | null;
            hasCredentials: boolean;
            createdAt: string;
            updatedAt: string;
        };
        ConnectorAccountPut: {
            /** @enum {string} */
            connector: "sandbox" | "mastodon";
            /**
             * Format: uri
             * @description The instance, for mastodon (https://mastodon.example)
             */
            baseUrl?: string;
            /** @description Write-only; required for a new mastodon account, kept when omitted later */
            accessToken?: string;
        };
        ReferenceDataItem: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            category: "user_role" | "platform" | "industry" | "subscription_tier";
            code: string;
            label: string;
            sortOrder: number;
            isActive: boolean;
        };
        Client: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            updatedBy: string | null;
            version: number;
            name: string;
            contactName: string | null;
            contactEmail: string | null;
            contactPhone: string | null;
            isActive: boolean;
            /** @enum {string} */
            approvalPolicy: "team" | "team_and_client";
        };
        ClientCreate: {
            name: string;
            contactName?: string | null;
            /** Format: email */
            contactEmail?: string | null;
            contactPhone?: string | null;
            isActive?: boolean;
            /**
             * @description team: the team's approval is final (default); team_and_client: the client approves after the team
             * @enum {string}
             */
            approvalPolicy?: "team" | "team_and_client";
        };
        ClientPatch: {
            name?: string;
            contactName?: string | null;
            /** Format: email */
            contactEmail?: string | null;
            contactPhone?: string | null;
            isActive?: boolean;
            /**
             * @description team: the team's approval is final (default); team_and_client: the client approves after the team
             * @enum {string}
             */
            approvalPolicy?: "team" | "team_and_client";
        };
        Campaign: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            updatedBy: string | null;
            version: number;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            clientId: string;
            name: string;
            platform: string;
            goal: string | null;
            startDate: string;
            endDate: string;
            budgetAmount: string | null;
            budgetCurrency: string | null;
        };
        CampaignCreate: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            clientId: string;
            name: string;
            /**
             * @description A platform code from reference data
             * @example instagram
             */
            platform: string;
            goal?: string | null;
            /**
             * Format: date
             * @example 2026-03-01
             */
            startDate: string;
            /**
             * Format: date
             * @example 2026-03-01
             */
            endDate: string;
            /** @example 1500.00 */
            budgetAmount?: string | null;
            /** @example EUR */
            budgetCurrency?: string | null;
        };
        CampaignPatch: {
            /**
             * Format: uuid
             * @description Moves the campaign to another client
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            clientId?: string;
            name?: string;
            /**
             * @description A platform code from reference data
             * @example instagram
             */
            platform?: string;
            goal?: string | null;
            /**
             * Format: date
             * @example 2026-03-01
             */
            startDate?: string;
            /**
             * Format: date
             * @example 2026-03-01
             */
            endDate?: string;
            /** @example 1500.00 */
            budgetAmount?: string | null;
            /** @example EUR */
            budgetCurrency?: string | null;
        };
        CampaignSummary: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            campaignId: string;
            posts: {
                total: number;
                byStatus: {
                    [key: string]: number;
                };
            };
            metrics: {
                likes: number;
                shares: number;
                comments: number;
                impressions: number;
                postsWithMetrics: number;
            };
        };
        Post: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            updatedBy: string | null;
            version: number;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            campaignId: string;
            content: string;
            platform: string;
            /** @enum {string} */
            status: "draft" | "in_review" | "client_review" | "changes_requested" | "approved" | "scheduled" | "publishing" | "published" | "failed" | "cancelled";
            /** @description Why changes were requested or the post was cancelled; null in other statuses */
            statusReason: string | null;
            scheduledAt: string | null;
            publishedAt: string | null;
            externalId: string | null;
            externalUrl: string | null;
            failureReason: string | null;
            assetIds: string[];
        };
        PostCreate: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            campaignId: string;
            content: string;
            /**
             * @description Defaults to the campaign's platform
             * @example instagram
             */
            platform?: string;
            /**
             * Format: date-time
             * @example 2026-12-01T09:30:00Z
             */
            scheduledAt?: string | null;
            /** @description Assets to attach (moved from their campaign's library to the post) */
            assetIds?: string[];
        };
        PostPatch: {
            /**
             * Format: uuid
             * @description Moves the post (with its media) to another campaign
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            campaignId?: string;
            content?: string;
            /**
             * @description A platform code from reference data
             * @example instagram
             */
            platform?: string;
            /**
             * Format: date-time
             * @example 2026-12-01T09:30:00Z
             */
            scheduledAt?: string | null;
            assetIds?: string[];
        };
        PostStatusChange: {
            /** @enum {string} */
            status: "draft" | "in_review" | "client_review" | "changes_requested" | "approved" | "scheduled" | "publishing" | "published" | "failed" | "cancelled";
            /** @description Kept as statusReason when requesting changes or cancelling */
            reason?: string;
        };
        PostVersionList: {
            items: components["schemas"]["PostVersion"][];
        };
        PostVersion: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            content: string;
            /** @enum {string} */
            status: "draft" | "in_review" | "client_review" | "changes_requested" | "approved" | "scheduled" | "publishing" | "published" | "failed" | "cancelled";
            /** @description Why the post moved, when a reason was given */
            reason: string | null;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: uuid
             * @description null when the publisher made the move
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
        };
        Note: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            updatedBy: string | null;
            version: number;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            campaignId: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            postId: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            parentId: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            authorId: string;
            authorName: string;
            body: string;
            /**
             * @description `team`: the agency only; `client`: also the client members of the note’s client
             * @enum {string}
             */
            visibility: "team" | "client";
            anchor: components["schemas"]["NoteAnchor"];
            /** @description The text the anchor covered when the note was made */
            quote: string | null;
            /** @description The text between the anchor’s positions now; null once deleted (or no anchor) */
            anchorText: string | null;
            resolved: boolean;
            resolvedAt: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            resolvedBy: string | null;
        };
        /** @description A span of the post's text: base64 of Y.encodeRelativePosition over the post document's `content`, for its start and its end */
        NoteAnchor: {
            start: string;
            end: string;
        } | null;
        NoteCreate: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            campaignId?: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            postId?: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            parentId?: string;
            body: string;
            /**
             * @description `team`: the agency only; `client`: also the client members of the note’s client
             * @enum {string}
             */
            visibility?: "team" | "client";
            anchor?: components["schemas"]["NoteAnchor"];
        };
        NotePatch: {
            body?: string;
            resolved?: boolean;
        };
        NotificationPage: {
            items: components["schemas"]["Notification"][];
            nextCursor: string | null;
            unreadCount: number;
        };
        Notification: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            type: "review_requested" | "changes_requested" | "approved" | "mentioned" | "replied" | "publish_failed";
            /** Format: uuid */
            postId: string | null;
            /** Format: uuid */
            campaignId: string | null;
            /** Format: uuid */
            noteId: string | null;
            /**
             * Format: uuid
             * @description Who caused it; null for the publisher
             */
            actorId: string | null;
            actorName: string | null;
            /** @description The start of the note or post it is about */
            excerpt: string;
            campaignName: string | null;
            createdAt: string;
            readAt: string | null;
        };
        MarkReadBody: {
            ids: string[];
        } | {
            /** @enum {boolean} */
            all: true;
        };
        /** @description accepted: newly stored; duplicates: already stored for that (postId, capturedAt) */
        MetricsIngestAnswer: {
            accepted: number;
            duplicates: number;
        };
        MetricsIngest: {
            snapshots: components["schemas"]["MetricSnapshot"][];
        };
        MetricSnapshot: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            postId: string;
            /** Format: date-time */
            capturedAt: string;
            likes: number;
            shares: number;
            comments: number;
            impressions: number;
        };
        /** @description Counts are cumulative. A bucket holds the latest snapshot taken in it; a campaign bucket sums, over its posts, each post’s latest value at or before the bucket (carried forward). latest is the newest snapshot (summed over posts for a campaign). */
        MetricSeries: {
            series: {
                at: string;
                likes: number;
                shares: number;
                comments: number;
                impressions: number;
            }[];
            latest: {
                at: string;
                likes: number;
                shares: number;
                comments: number;
                impressions: number;
            } | null;
        };
        Asset: {
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            createdBy: string | null;
            /**
             * Format: uuid
             * @example 0190b7a2-5d4e-7cc0-9a55-3c2f1f0e8b11
             */
            updatedBy: string | null;
            version: number;
            /**
             * Format: uuid
             * @description The campaign it was uploaded to (its home), if any
             */
            campaignId: string | null;
            /**
             * Format: uuid
             * @description The post it was uploaded to (its home), if any
             */
            postId: string | null;
            /**
             * Format: uuid
             * @description The client it belongs to: any of this client's posts may use it
             */
            clientId: string;
            fileName: string;
            mediaType: string;
            sizeBytes: number;
            sha256: string;
            /** @description How many posts use it (their assetIds) */
            usageCount: number;
            contentUrl: string;
        };
        Change: {
            seq: number;
            /** @enum {string} */
            entity: "organisation" | "user" | "client" | "campaign" | "post" | "note" | "asset";
            /** @enum {string} */
            op: "insert" | "update" | "delete";
            /** Format: uuid */
            id: string;
            /** @description The resource as GET answers it; absent for deletes */
            data?: unknown;
            /** Format: uuid */
            actorId: string | null;
            at: string;
        };
        SearchAnswer: {
            items: components["schemas"]["SearchHit"][];
        };
        SearchHit: {
            /** @enum {string} */
            entity: "client" | "campaign" | "post" | "note";
            /** Format: uuid */
            id: string;
            title: string;
            snippet: string;
            /** Format: uuid */
            postId: string | null;
            /** Format: uuid */
            campaignId: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
