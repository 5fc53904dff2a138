import type { GenerationEvent, GenerationResult } from '../../../../sidecar/engine/generation/GenerationEvent';
import type { GenerationRun } from '../../../../sidecar/engine/generation/GenerationRun';

/** Iterates a run to the end; returns every event, the deltas per sequence and the result. */
export async function collect(run: GenerationRun): Promise<{
  events: GenerationEvent[];
  deltas: Map<number, string[]>;
  result: GenerationResult;
}> {
  const events: GenerationEvent[] = [];
  const deltas = new Map<number, string[]>();
  for await (const event of run) {
    events.push(event);
    if (event.type === 'token' || event.type === 'finish') {
      const list = deltas.get(event.sequence) ?? [];
      list.push(event.delta);
      deltas.set(event.sequence, list);
    }
  }
  return { events, deltas, result: await run.result() };
}
