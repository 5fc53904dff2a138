import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InkwellError } from '../../engine';
import { parseWatermarkingConfig, watermarkingDefaults } from '../../engine';
import { detectWatermarkInText } from '../../engine';
import { HfTokenizer, readModelFolder } from '../../runtime/index';
import type { CliOutput } from '../CliOutput';
import { bundledModelDir } from './bundledModelDir';
import { intFlag } from '../parseFlags';

export const watermarkUsage =
  'inkwell watermark detect [--model DIR] [--key N] [--gamma G] [--context-width H] [--threshold Z] [--min-tokens N] [--count-repeats] [FILE|-] [--json]';

/**
 * Scores a text (a file, or stdin) for the inkwell-wm-v1 watermark with the model folder's
 * tokenizer. Repeated (h+1)-grams count once unless --count-repeats: code repeats itself, and
 * counting every repeat over-disperses z on unwatermarked files (see watermark/README.md).
 * Exits 0 whatever the verdict; the verdict is the output.
 */
export async function watermarkCommand(argv: readonly string[], io: CliOutput): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'detect') {
    throw new InkwellError('invalid-argument', `inkwell watermark: unknown subcommand "${sub ?? ''}": use ${watermarkUsage}`, {
      details: { field: 'subcommand', value: sub },
    });
  }
  const { values, positionals } = parse(rest);
  if (positionals.length > 1) {
    throw new InkwellError('invalid-argument', `inkwell watermark detect: one FILE at most, got ${positionals.length}`, { details: { field: 'FILE' } });
  }
  const key = parseWatermarkingConfig({
    hashing_key: numberFlag('key', values.key, watermarkingDefaults.hashingKey),
    greenlist_ratio: numberFlag('gamma', values.gamma, watermarkingDefaults.greenlistRatio),
    context_width: intFlag('context-width', values['context-width'], watermarkingDefaults.contextWidth, 1, 1024),
  });
  const options = {
    zThreshold: numberFlag('threshold', values.threshold, 4),
    minTokens: intFlag('min-tokens', values['min-tokens'], 16, 1, Number.MAX_SAFE_INTEGER),
    ignoreRepeatedNgrams: !values['count-repeats'],
  };
  const file = positionals[0];
  const text = file === undefined || file === '-' ? readFileSync(0, 'utf8') : readText(file);
  const folder = readModelFolder(values.model ?? bundledModelDir());
  const tokenizer = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig, []);
  const d = detectWatermarkInText(text, tokenizer, key, options);
  if (values.json) {
    const { tokens, ...summary } = d;
    const scheme = { seeding_scheme: key.seedingScheme, hashing_key: key.hashingKey, greenlist_ratio: key.greenlistRatio, context_width: key.contextWidth };
    io.out(`${JSON.stringify({ ...summary, ignoreRepeatedNgrams: options.ignoreRepeatedNgrams, scheme, tokens })}\n`);
    return 0;
  }
  io.out(
    `${d.verdict}: z = ${d.z.toFixed(2)} (threshold ${d.zThreshold}), p = ${d.p.toPrecision(3)}, ` +
      `${d.green} of ${d.scored} scored tokens green (${(100 * d.greenFraction).toFixed(1)}%, γ = ${key.greenlistRatio}), ` +
      `key ${key.hashingKey}, context width ${key.contextWidth}${options.ignoreRepeatedNgrams ? ', repeats counted once' : ''}\n`,
  );
  return 0;
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        key: { type: 'string' },
        gamma: { type: 'string' },
        'context-width': { type: 'string' },
        threshold: { type: 'string' },
        'min-tokens': { type: 'string' },
        'count-repeats': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
  } catch (cause) {
    throw new InkwellError('invalid-argument', `inkwell watermark detect: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
}

/** A number flag; its range is checked by the scheme's own validation (naming the config field). */
function numberFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) {
    throw new InkwellError('invalid-argument', `--${name} = ${value} is not a number`, { details: { field: name, value } });
  }
  return n;
}

function readText(file: string): string {
  if (!existsSync(file)) throw new InkwellError('invalid-argument', `FILE ${file} does not exist`, { details: { field: 'FILE', value: file } });
  return readFileSync(file, 'utf8');
}
