"use client";
import type { PinterestScope } from "@pintoken/next";
import { usePinterestAuth } from "@pintoken/react";
import { useEffect, useState } from "react";
import type { ScopeChoice } from "@/lib/scopes";

interface ConnectCardProps {
  /** The scopes to offer, with Pinterest's descriptions (the server passes them: the browser needs no spec). */
  choices: ScopeChoice[];
  /** Where to come back to after the consent page. */
  returnTo: string;
  /** Where the consent page is, when it is the mock's (shown so that nobody takes it for Pinterest). */
  mockConsentOrigin?: string | undefined;
}

/** The signed-out state: pick scopes, then "Connect Pinterest" (`usePinterestAuth().login`). */
export function ConnectCard({ choices, returnTo, mockConsentOrigin }: ConnectCardProps) {
  const { login } = usePinterestAuth();
  const [picked, setPicked] = useState<ReadonlySet<PinterestScope>>(
    () => new Set(choices.filter((choice) => choice.required).map((choice) => choice.scope)),
  );
  const [leaving, setLeaving] = useState(false);
  useEffect(() => {
    // Back from Pinterest with the browser's back button (the page restored from its cache): enable the button again.
    const restored = () => setLeaving(false);
    window.addEventListener("pageshow", restored);
    return () => window.removeEventListener("pageshow", restored);
  }, []);
  const toggle = (scope: PinterestScope, on: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });

  return (
    <section className="card" data-testid="signed-out">
      <h1>Connect your Pinterest account</h1>
      <p className="muted">You are not connected. Choose what the demo may do, then approve it on Pinterest.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setLeaving(true);
          login({ returnTo, scopes: [...picked] });
        }}
      >
        <fieldset>
          <legend>Scopes to ask for</legend>
          {choices.map(({ scope, description, required }) => (
            <label key={scope} className="scope">
              <input
                type="checkbox"
                name="scope"
                value={scope}
                checked={picked.has(scope)}
                disabled={required}
                onChange={(event) => toggle(scope, event.target.checked)}
              />
              <span>
                <code>{scope}</code>
                {required && <em> required: the demo reads your account</em>}
                <small>{description}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={leaving}>
          {leaving ? "Opening Pinterest…" : "Connect Pinterest"}
        </button>
      </form>
      {mockConsentOrigin && (
        <p className="muted small">
          This runs on the mock Pinterest at <code>{mockConsentOrigin}</code>: its consent page is marked as the mock,
          and nothing leaves this machine.
        </p>
      )}
    </section>
  );
}
