/**
 * What the demo tells a person when something fails, by the stable codes of `@pintoken/react`'s errors (the route
 * handler's and the sign-in callback's) and of `readAccount()`. Each says what happened and what to do next.
 */
export interface Explanation {
  title: string;
  detail: string;
}

const explanations: Record<string, Explanation> = {
  access_denied: {
    title: "You declined access",
    detail: "Pinterest's consent page said no, so nothing was connected. Connect again whenever you like.",
  },
  state_mismatch: {
    title: "That sign-in could not be verified",
    detail:
      "The browser came back with a state this browser did not start (a reused, expired or forged link), so the " +
      "app stopped before asking Pinterest for any token. Start a new sign-in.",
  },
  missing_code: {
    title: "Pinterest sent no authorization code",
    detail: "The sign-in came back incomplete. Start a new sign-in.",
  },
  exchange_failed: {
    title: "Pinterest did not accept the sign-in",
    detail: "It refused the authorization code (expired or already used). Start a new sign-in.",
  },
  pinterest_unavailable: {
    title: "Pinterest is not answering",
    detail:
      "It could not be reached or answered with an error. You are still connected and nothing was lost; the app " +
      "tries again on its own, or try again now.",
  },
  pinterest_unavailable_sign_in: {
    title: "Pinterest did not answer",
    detail: "The sign-in could not be finished, so nothing was connected. Try connecting again in a moment.",
  },
  reauthorization_required: {
    title: "Pinterest no longer accepts this connection",
    detail: "The access was revoked or has expired, so you were signed out. Connect again to continue.",
  },
  not_signed_in: {
    title: "You are not connected",
    detail: "The session ended, perhaps in another tab. Connect again to continue.",
  },
  revoke_failed: {
    title: "Disconnected here, but Pinterest did not confirm it",
    detail:
      "This browser is signed out. Pinterest did not confirm that it revoked the app's access: you can remove the " +
      "app in your Pinterest settings.",
  },
  network_error: {
    title: "The demo server cannot be reached",
    detail: "Check that `pnpm demo` is still running, then try again.",
  },
  token_rejected: {
    title: "Pinterest refused the access token",
    detail:
      "The access may have been revoked at Pinterest. Refresh now to find out whether the connection still works.",
  },
  missing_scope: {
    title: "The demo may not read this account",
    detail:
      "This connection was made without the user_accounts:read scope. Disconnect, then connect again: the connect " +
      "form always asks for it.",
  },
  api_error: {
    title: "Pinterest could not return the account",
    detail: "It answered with an error. Try again, or connect again with the user_accounts:read scope.",
  },
};

/** The explanation for an error code; `fallback` (the error's own message) for codes the demo does not know. */
export function explain(code: string, fallback: string): Explanation {
  return explanations[code] ?? { title: "Something went wrong", detail: fallback };
}
