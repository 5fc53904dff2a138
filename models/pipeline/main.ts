/**
 * The pipeline's command line: `npm run models -- <subcommand> [--flag value ...]`.
 * One line per subcommand in COMMANDS, so stages added by different hands merge cleanly.
 */
import { InkwellError } from '../../sidecar/engine/InkwellError';
import { evalCommand } from './eval/evalCommand';
import { exportCommand } from './export/exportCommand';
import { toyDataCommand } from './toy/toyDataCommand';

export type Flags = ReadonlyMap<string, string>;

const COMMANDS: Readonly<Record<string, { run: (flags: Flags) => Promise<void>; help: string }>> = {
  'toy-data': { run: toyDataCommand, help: 'toy stand-in for part 1: tokenizer + token files from TypeScript lib files [--root DIR --vocab N]' },
  export: { run: exportCommand, help: 'checkpoint → model folder: --checkpoint DIR --out DIR [--tokenizer DIR --parity PREFIX]' },
  eval: { run: evalCommand, help: 'evaluate a model folder: --model DIR [--assistant DIR --out DIR --cases N --windows N]' },
};

/** `--name value` pairs; a flag without a value is "true". */
export function parseFlags(args: readonly string[]): Flags {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new InkwellError('invalid-argument', `unexpected argument "${arg}" (flags are --name value)`, { details: { field: arg } });
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(arg.slice(2), 'true');
    else flags.set(arg.slice(2), (i++, next));
  }
  return flags;
}

async function main(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(9)} ${c.help}`);
    console.error(`usage: npm run models -- <command> [flags]\n${lines.join('\n')}`);
    process.exitCode = name === undefined ? 0 : 1;
    return;
  }
  await command.run(parseFlags(rest));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
