/**
 * True for a host only this machine can reach: `localhost`, `127.0.0.0/8`, `::1` (bracketed or not) and IPv4-mapped
 * loopback (`::ffff:127.0.0.1`, as Node reports IPv4 peers on a dual-stack socket).
 */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(bare);
}
