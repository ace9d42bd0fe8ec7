import { PinterestAuthProvider } from "@pintoken/react";
import type { ReactNode } from "react";
import { pinterest } from "../lib/pinterest";

export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await pinterest.getSession();
  return (
    <html lang="en">
      <body>
        <PinterestAuthProvider basePath="/api/pinterest" initialSession={session}>
          {children}
        </PinterestAuthProvider>
      </body>
    </html>
  );
}
