const pad = (n: number) => String(n).padStart(2, "0");

/** A countdown such as `09:58` or `1:02:03`, or `2 days 03:04:05` for Pinterest's 30-day tokens. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const clock = `${hours || days ? `${days ? pad(hours) : hours}:` : ""}${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days ? `${days} day${days === 1 ? "" : "s"} ${clock}` : clock;
}

/** An instant in the server's words, the same whoever renders it: `2026-11-29 12:03:04 UTC`. */
export function formatUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
