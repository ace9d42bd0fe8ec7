// Type-checked against React 18's types (tsconfig.react-18.json): the published .d.ts works for React 18 apps.
import { useEffect } from "react";
import {
  PinterestAuthProvider,
  type PinterestScope,
  type SessionJson,
  useExpiresIn,
  usePinterestAuth,
} from "../../dist/index.js";

function Account({ scopes }: { scopes: PinterestScope[] }) {
  const { status, session, error, login, logout, refresh } = usePinterestAuth();
  const expiresIn = useExpiresIn(60_000);
  useEffect(() => {
    if (status === "error") void refresh();
  }, [status, refresh]);
  if (status === "loading") return null;
  if (status !== "authenticated") {
    return (
      <button type="button" onClick={() => login({ returnTo: "/boards", scopes })}>
        {error ? error.message : "Connect Pinterest"}
      </button>
    );
  }
  return (
    <button type="button" onClick={() => void logout()}>
      Sign out ({session.scopes.join(", ")}, {expiresIn ?? "…"} ms)
    </button>
  );
}

export function App({ session }: { session: SessionJson | null }) {
  return (
    <PinterestAuthProvider basePath="/api/pinterest" initialSession={session}>
      <Account scopes={["pins:read"]} />
    </PinterestAuthProvider>
  );
}
