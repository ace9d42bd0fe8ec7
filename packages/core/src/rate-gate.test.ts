import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { createRateGate } from "./rate-gate.ts";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `n` waits at once and records when (on the fake clock) each is let through. */
async function passTimes(gate: ReturnType<typeof createRateGate>, n: number, advanceMs: number): Promise<number[]> {
  const times: number[] = [];
  const start = Date.now();
  const waits = Array.from({ length: n }, () => gate.wait().then(() => times.push(Date.now() - start)));
  await vi.advanceTimersByTimeAsync(advanceMs);
  await Promise.all(waits);
  return times.sort((a, b) => a - b);
}

it("lets calls through at most ratePerSecond, evenly spaced", async () => {
  const gate = createRateGate({ ratePerSecond: 10, now: () => Date.now() });
  expect(await passTimes(gate, 5, 1_000)).toEqual([0, 100, 200, 300, 400]);
});

it("after a 429, pauses every start for Retry-After and halves the rate; successes raise it again", async () => {
  const gate = createRateGate({ ratePerSecond: 10, now: () => Date.now() });
  await gate.wait();
  gate.backOff(2_000);
  expect(gate.ratePerSecond).toBe(5);
  expect(await passTimes(gate, 3, 5_000)).toEqual([2_000, 2_200, 2_400]);
  gate.backOff(0);
  gate.backOff(0);
  gate.backOff(0);
  gate.backOff(0);
  expect(gate.ratePerSecond).toBe(1); // never below a tenth
  for (let i = 0; i < 20; i++) gate.succeeded();
  expect(gate.ratePerSecond).toBe(10); // never above the maximum
});

it("a wait rejects with the signal's reason when it aborts", async () => {
  const gate = createRateGate({ ratePerSecond: 1, now: () => Date.now() });
  await gate.wait();
  const controller = new AbortController();
  const waiting = gate.wait(controller.signal);
  controller.abort(new Error("stopped"));
  await expect(waiting).rejects.toThrow("stopped");
});
