import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { smallModel } from '../../support/testModels';
import { e2eCacheDir, repoRoot } from './CodeServer';

/** Where an in-host suite finds the watermarked text (the extension host inherits the server's environment). */
export const watermarkedFileEnv = 'INKWELL_E2E_WATERMARKED_FILE';

/**
 * Sampled with the inkwell-wm-v1 defaults (the key the sidecar detects with when nothing else is
 * configured). Temperature 1, not lower: the small model's random weights are peaked, and at 0.5
 * only about half of 200-token samples reach z >= 4 (bias 2); at 1 ten seeds gave z 5.7–9.1.
 */
const watermarkedConfig = {
  do_sample: true,
  temperature: 1.0,
  max_new_tokens: 200,
  watermarking_config: { greenlist_ratio: 0.25, bias: 2, hashing_key: 15485863, context_width: 1, seeding_scheme: 'inkwell-wm-v1' },
};

/**
 * Generates a watermarked text with the CLI (dist/inkwell.js) and the model the e2e settings
 * load, writes it to test/.cache/e2e/fixtures/watermarked.txt and returns the path. Seeded, so
 * the same text every run for the same model.
 */
export function writeWatermarkedFixture(): string {
  const dir = join(e2eCacheDir, 'fixtures');
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'watermarked.config.json');
  writeFileSync(configFile, JSON.stringify(watermarkedConfig));
  const stdout = execFileSync(
    process.execPath,
    [join(repoRoot, 'dist', 'inkwell.js'), 'generate', '--model', smallModel(), '--prompt', 'def main():', '--config', configFile, '--seed', '1', '--json'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const { sequences } = JSON.parse(stdout) as { sequences: { text: string }[] };
  const file = join(dir, 'watermarked.txt');
  writeFileSync(file, sequences[0]!.text);
  return file;
}
