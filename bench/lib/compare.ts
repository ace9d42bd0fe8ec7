/** Side-by-side timing: contenders run in interleaved rounds with a rotating order, so machine noise hits each alike. */

export interface Contender {
  name: string;
  run: () => Promise<unknown>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Runs every contender's batch once per round and returns the median time per call (ms) of each. */
export async function compare(
  contenders: Contender[],
  { rounds, batch, warmup = 200 }: { rounds: number; batch: number; warmup?: number },
): Promise<Map<string, number>> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (const c of contenders) for (let i = 0; i < warmup; i++) await c.run();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(i + round) % contenders.length] as Contender;
      const started = performance.now();
      for (let n = 0; n < batch; n++) await contender.run();
      samples.get(contender.name)?.push((performance.now() - started) / batch);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

/** Prints each median with its ratio to `baseline`. */
export function report(title: string, results: Map<string, number>, baseline: string, unit: "µs" | "ms"): void {
  const base = results.get(baseline) ?? Number.NaN;
  console.log(`\n${title}`);
  for (const [name, perCall] of results) {
    const shown = unit === "ms" ? `${perCall.toFixed(3)} ms` : `${(perCall * 1000).toFixed(1)} µs`;
    console.log(`  ${name.padEnd(46)} ${shown.padStart(10)}   ×${(perCall / base).toFixed(3)} of ${baseline}`);
  }
}
