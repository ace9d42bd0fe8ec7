/** One step of spec:update: when it ran, in ms since the process started, and on which thread. */
export interface Phase {
  name: string;
  thread: string;
  start: number;
  end: number;
}

/** Records when each step of a run started and ended, for `spec:update --timings` and the benchmark. */
export class Timeline {
  readonly phases: Phase[] = [];

  /** Runs `step` on the main thread and records it. */
  async time<T>(name: string, step: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await step();
    } finally {
      this.add({ name, thread: "main", start, end: performance.now() });
    }
  }

  /** Records a step measured elsewhere (a worker's); an epoch time converts with {@link sinceStart}. */
  add(phase: Phase): void {
    this.phases.push(phase);
  }
}

/** An epoch time (ms, e.g. a worker's `performance.timeOrigin + performance.now()`) as ms since this process began. */
export const sinceStart = (epoch: number) => epoch - performance.timeOrigin;

/** The timeline as text: one line per phase, in start order, with a bar on a shared scale. */
export function formatTimeline(phases: Phase[], total = Math.max(...phases.map((p) => p.end))): string[] {
  const width = 40;
  const scale = (ms: number) => Math.round((ms / total) * width);
  const nameWidth = Math.max(...phases.map((p) => `${p.thread}: ${p.name}`.length));
  return [...phases]
    .sort((a, b) => a.start - b.start)
    .map((p) => {
      const bar = " ".repeat(scale(p.start)) + "█".repeat(Math.max(1, scale(p.end) - scale(p.start)));
      const label = `${p.thread}: ${p.name}`.padEnd(nameWidth);
      return `  ${label}  ${p.start.toFixed(0).padStart(5)} → ${p.end.toFixed(0).padStart(5)} ms  ${bar}`;
    });
}
