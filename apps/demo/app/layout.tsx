import { PinterestRouterRefresh } from "@pintoken/next/client";
import { PinterestAuthProvider } from "@pintoken/react";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { pinterest } from "@/lib/pinterest";
import { pinterestTarget } from "@/lib/target";
import "./globals.css";

export const metadata: Metadata = {
  title: "pintoken demo",
  description: "Pinterest OAuth with @pintoken/next and @pintoken/react",
};

const badges = { mock: "mock Pinterest", sandbox: "Pinterest sandbox", pinterest: "Pinterest" } as const;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Metadata only (status, scopes, expiry): the provider never sees a token. getSession() makes every page dynamic
  // (it awaits connection()): nothing here is rendered at build time.
  const session = await pinterest.getSession();
  const target = pinterestTarget();
  return (
    <html lang="en">
      <body>
        <header className="top">
          <Link href="/" className="brand">
            pintoken <span>demo</span>
          </Link>
          <nav>
            <Link href="/">Account</Link>
            <Link href="/server">Server Component &amp; Action</Link>
          </nav>
          <span className={`badge badge-${target.kind}`} title={`API ${target.apiBaseUrl}`} data-testid="target">
            {badges[target.kind]}
          </span>
        </header>
        <main>
          <PinterestAuthProvider basePath={pinterest.basePath} initialSession={session}>
            {/* Server Components render again when the session's status or scopes change, in any tab. */}
            <PinterestRouterRefresh basePath={pinterest.basePath} />
            {children}
          </PinterestAuthProvider>
        </main>
        <footer>
          API <code>{target.apiBaseUrl}</code> · tokens stay on the server; this page only sees the session&apos;s
          scopes and expiry.
        </footer>
      </body>
    </html>
  );
}
