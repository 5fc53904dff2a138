import { InkwellError, type InkwellErrorCode } from '../engine';
import { processOutput, type CliOutput } from './CliOutput';
import { configCommand, configUsage } from './commands/configCommand';
import { demoCommand } from './commands/demoCommand';
import { downloadCommand, downloadUsage } from './commands/downloadCommand';
import { generateCommand, generateUsage } from './commands/generateCommand';
import { inspectCommand, inspectUsage } from './commands/inspectCommand';
import { exposeHiddenStatesCommand, exposeHiddenStatesUsage } from './commands/exposeHiddenStatesCommand';
import { makeModelCommand, makeModelUsage } from './commands/makeModelCommand';
import { modelsCommand, modelsUsage } from './commands/modelsCommand';
import { quantizeCommand, quantizeUsage } from './commands/quantizeCommand';
import { serveCommand, serveUsage } from './commands/serveCommand';
import { sweepCommand, sweepUsage } from './commands/sweepCommand';
import { watermarkCommand, watermarkUsage } from './commands/watermarkCommand';

type Command = (argv: readonly string[], io: CliOutput, signal: AbortSignal) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  generate: generateCommand,
  inspect: inspectCommand,
  config: configCommand,
  sweep: sweepCommand,
  quantize: quantizeCommand,
  'dev make-model': makeModelCommand,
  'dev expose-hidden-states': exposeHiddenStatesCommand,
  demo: demoCommand,
  serve: serveCommand,
  watermark: watermarkCommand,
  download: downloadCommand,
  models: modelsCommand,
};

const USAGE = `usage:
  ${generateUsage}
  ${inspectUsage}
  ${configUsage}
  ${sweepUsage}
  ${quantizeUsage}
  ${makeModelUsage}
  ${exposeHiddenStatesUsage}
  ${serveUsage}
  ${watermarkUsage}
  ${downloadUsage}
  ${modelsUsage}
  inkwell demo        (a streamed continuation of a Python function from the bundled default model)
`;

/** Errors that mean "the input was wrong" exit with 2; anything else is a failure (1). */
const USER_ERRORS: ReadonlySet<InkwellErrorCode> = new Set([
  'invalid-config', 'invalid-argument', 'model-not-found', 'model-invalid', 'tokenizer-invalid', 'provider-unavailable',
]);

export async function main(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(USAGE);
    return first === undefined ? 2 : 0;
  }
  const twoWord = `${first} ${second}`;
  const name = COMMANDS[twoWord] ? twoWord : first;
  const command = COMMANDS[name];
  if (!command) {
    io.err(`inkwell: unknown command "${first}" (inkwell --help lists the commands)\n`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  if (rest.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  try {
    return await command(rest, io, signal);
  } catch (e) {
    if (InkwellError.is(e) && USER_ERRORS.has(e.code)) {
      io.err(`inkwell: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    io.err(`inkwell: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  // First Ctrl-C stops generation cleanly (partial output is kept); a second one exits.
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  main(process.argv.slice(2), processOutput, controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`inkwell: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
