import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeDevModel } from '../../builder/makeDevModel';
import type { CliOutput } from '../CliOutput';
import { generateCommand } from './generateCommand';

/** The demo model: small enough to build in a couple of seconds, big enough to show real speeds. */
const DEMO = { layers: 4, hidden: 256, heads: 4, kvHeads: 2, intermediate: 768, vocab: 4096, seed: 1, maxPositions: 2048 } as const;

/**
 * What `npm start` runs until the extension and the shipped model exist: build a random-weight
 * model folder (once) and stream a completion from it through the whole engine.
 */
export async function demoCommand(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  const dir = join(__dirname, '..', 'test', '.cache', 'models', 'demo');
  if (!existsSync(join(dir, 'onnx', 'model_q4.onnx'))) {
    io.err(`no default model is shipped yet: generating a random-weight demo model into ${dir} …\n`);
    makeDevModel({ ...DEMO, dir, dtypes: ['fp32', 'q4'] });
  }
  io.err('random weights: expect token soup — this shows the pipeline running, not model quality\n');
  io.err('prompt: function fibonacci(n) {\n\n');
  io.out('function fibonacci(n) {');
  return generateCommand(
    ['--model', dir, '--prompt', 'function fibonacci(n) {', '--stream', '--set', 'do_sample=true', '--set', 'temperature=0.8', '--set', 'top_p=0.95', '--set', 'max_new_tokens=64', '--seed', '42', ...argv],
    io,
    signal,
  );
}
