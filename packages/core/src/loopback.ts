/**
 * Whether a host is this machine: `localhost`, `127.0.0.0/8`, `::1` (bracketed or not) and IPv4-mapped loopback
 * (`::ffff:127.0.0.1`, as Node reports IPv4 peers on a dual-stack socket). The one check of the packages: where
 * cookies may go without `Secure`, what a mock or a test server may bind to or answer, which redirect URIs a
 * command-line sign-in may listen on.
 *
 * @example
 * ```ts
 * isLoopback("127.0.0.1"); // true
 * isLoopback("[::1]"); // true
 * isLoopback("127.0.0.1.nip.io"); // false
 * ```
 */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare);
}
