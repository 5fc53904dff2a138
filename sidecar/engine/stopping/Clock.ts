/** Milliseconds from an arbitrary origin; injected so tests can drive max_time without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };
