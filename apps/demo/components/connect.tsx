import { scopeChoices } from "@/lib/scopes";
import { pinterestTarget } from "@/lib/target";
import { ConnectCard } from "./connect-card";

/** The connect form with what only the server knows: the scopes' descriptions and whether this is the mock. */
export function Connect({ returnTo }: { returnTo: string }) {
  const target = pinterestTarget();
  return (
    <ConnectCard
      choices={scopeChoices()}
      returnTo={returnTo}
      mockConsentOrigin={target.kind === "mock" ? target.origin : undefined}
    />
  );
}
