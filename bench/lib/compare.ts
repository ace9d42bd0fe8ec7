/**
 * Side-by-side timing: contenders run in interleaved rounds with a rotating order, so machine noise hits each alike.
 * Each batch is timed twice: wall-clock time, and the CPU time this process spent (`process.cpuUsage()`, user +
 * system), which other processes on a busy machine disturb far less. Client and loopback server share the process,
 * so a call's CPU time is all the work it causes.
 */

export interface Contender {
  name: string;
  run: () => Promise<unknown>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Runs every contender's batch once per round and returns the median time per call (ms) of each. */
export interface Timing {
  /** Median wall-clock time per call, ms. */
  wall: number;
  /** Median CPU time per call, ms. */
  cpu: number;
}

/** Runs every contender's batch once per round and returns the median times per call of each. */
export async function compare(
  contenders: Contender[],
  { rounds, batch, warmup = 200 }: { rounds: number; batch: number; warmup?: number },
): Promise<Map<string, Timing>> {
  const wall = new Map(contenders.map((c) => [c.name, [] as number[]]));
  const cpu = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (const c of contenders) for (let i = 0; i < warmup; i++) await c.run();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length] as Contender;
      const started = performance.now();
      const usage = process.cpuUsage();
      for (let n = 0; n < batch; n++) await contender.run();
      const used = process.cpuUsage(usage);
      wall.get(contender.name)?.push((performance.now() - started) / batch);
      cpu.get(contender.name)?.push((used.user + used.system) / 1000 / batch);
    }
  }
  return new Map(
    contenders.map((c) => [c.name, { wall: median(wall.get(c.name) ?? []), cpu: median(cpu.get(c.name) ?? []) }]),
  );
}

/** Prints each median (wall clock and CPU) with its ratio to `baseline`. */
export function report(title: string, results: Map<string, Timing>, baseline: string): void {
  const base = results.get(baseline);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`.padStart(10);
  const ratio = (value: number, of = Number.NaN) => `×${(value / of).toFixed(3)}`;
  console.log(`\n${title}\n  ${"".padEnd(46)}       wall (ratio)          CPU (ratio)   (ratios to ${baseline})`);
  for (const [name, { wall, cpu }] of results) {
    console.log(`  ${name.padEnd(46)} ${us(wall)} (${ratio(wall, base?.wall)})  ${us(cpu)} (${ratio(cpu, base?.cpu)})`);
  }
}
