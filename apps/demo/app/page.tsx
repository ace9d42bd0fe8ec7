import { AccountCard } from "@/components/account-card";
import { AuthGate } from "@/components/auth-gate";
import { Connect } from "@/components/connect";
import { SessionCard } from "@/components/session-card";
import { pinterest } from "@/lib/pinterest";

/** Signed out: the connect form. Connected: the account (read on the server) and the session (kept by the hook). */
export default async function Home() {
  const session = await pinterest.getSession();
  return (
    <AuthGate serverStatus={session.status} signedOut={<Connect returnTo="/" />}>
      {session.status === "authenticated" && (
        <div className="grid">
          <AccountCard />
          <SessionCard />
        </div>
      )}
    </AuthGate>
  );
}
