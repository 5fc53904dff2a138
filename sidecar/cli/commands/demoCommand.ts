import type { CliOutput } from '../CliOutput';
import { bundledModelDir } from './bundledModelDir';
import { generateCommand } from './generateCommand';

const PROMPT = 'def fibonacci(n):\n    """Return the n-th Fibonacci number."""\n';

/**
 * `inkwell demo` (`npm run demo`): streams a continuation of a small Python function from the
 * bundled default model, with the model's own generation_config.json (greedy) — the quickest way
 * to see the engine and the model work. Extra arguments go to `inkwell generate`.
 */
export async function demoCommand(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  const dir = bundledModelDir();
  io.err(`model: ${dir} (the bundled default: a small code model trained on the CPU; see models/README.md)\n\n`);
  io.out(PROMPT);
  return generateCommand(['--model', dir, '--prompt', PROMPT, '--stream', '--set', 'max_new_tokens=48', ...argv], io, signal);
}
