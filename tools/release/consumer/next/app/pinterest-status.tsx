"use client";
import { usePinterestAuth } from "@pintoken/react";

export function PinterestStatus() {
  const auth = usePinterestAuth();
  if (auth.status === "authenticated")
    return (
      <p data-status="authenticated">
        Connected with {auth.session.scopes.join(", ")}{" "}
        <button type="button" onClick={() => auth.logout()}>
          Disconnect
        </button>
      </p>
    );
  return (
    <p data-status={auth.status}>
      <button type="button" onClick={() => auth.login()}>
        Connect Pinterest
      </button>
    </p>
  );
}
