import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InlineCompletionRequest, type InlineCompletionList } from 'vscode-languageserver-protocol/node';
import { generate, parseGenerationConfig, type AllowedTokens } from '../../../sidecar/engine';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/loadModel';
import { completionContext } from '../../../sidecar/completion/completionContext';
import { shapeCompletion } from '../../../sidecar/completion/completionShape';
import { SidecarProcess } from '../../support/SidecarProcess';

const REPO = join(__dirname, '..', '..', '..');
const DEFAULT_MODEL = join(REPO, 'models', 'default');

// Short enough that both windows hold the whole document: the prompt is then fixed by the order alone.
const TS = [
  "import { readFileSync } from 'node:fs';",
  '',
  'export function loadConfig(path: string): Record<string, unknown> {',
  "  const text = readFileSync(path, 'utf8');",
  '  ',
  '  return parsed;',
  '}',
  '',
].join('\n');
const LINE = 4;
const CHARACTER = 2;

/**
 * The FIM order a model folder declares (inkwell.json) is the order the server prompts in. The
 * expected completions are built here by hand from the markers (suffix-first for SPM, in the form
 * of Bavarian et al. 2022, prefix-first for PSM), healed by hand, and run through plain greedy generation; the
 * sidecar must answer the same for the shipped default (SPM declared) and for a copy of it without
 * inkwell.json (PSM, the default).
 */
describe('FIM order from the model folder', () => {
  let loaded: LoadedModel;
  let noDeclaration: string;
  before(async () => {
    loaded = await loadModel({ dir: DEFAULT_MODEL, dtype: 'q4', device: 'cpu', inWorker: false });
    noDeclaration = mkdtempSync(join(tmpdir(), 'inkwell-psm-'));
    cpSync(DEFAULT_MODEL, noDeclaration, { recursive: true, filter: (src) => !src.endsWith('inkwell.json') });
  });
  after(async () => {
    await loaded?.model.dispose();
    if (noDeclaration) rmSync(noDeclaration, { recursive: true, force: true });
  });

  /**
   * Token healing done by hand: the prefix's last token comes off when the vocabulary has other
   * ways to begin its text (found by a scan of every token: longer tokens, and for whitespace
   * shorter whitespace tokens), and the generated text must begin with it, over one token or several.
   */
  function healByScan(prefix: readonly number[]): { kept: number[]; cut: string; allowedTokens: AllowedTokens | undefined } {
    const { tokenizer } = loaded;
    const cut = tokenizer.decode([prefix.at(-1)!]);
    const texts = Array.from({ length: tokenizer.vocabSize }, (_, t) => (tokenizer.isSpecial(t) ? '' : tokenizer.decode([t])));
    // Tokens that extend the rest; for whitespace, also the shorter whitespace tokens that begin it.
    const beginning = (rest: string) => texts.flatMap((text, t) => (text !== '' && !text.includes('\uFFFD') && (text.startsWith(rest) || (/^\s+$/.test(rest) && rest.startsWith(text))) ? [t] : []));
    if (beginning(cut).length <= 1) return { kept: [...prefix], cut: '', allowedTokens: undefined };
    const allowedTokens: AllowedTokens = (generated) => {
      let rest = cut;
      for (const t of generated) {
        if (texts[t]!.startsWith(rest)) return undefined;
        rest = rest.slice(texts[t]!.length);
      }
      return beginning(rest);
    };
    return { kept: prefix.slice(0, -1), cut, allowedTokens };
  }

  /** Greedy from hand-built ids (healed by hand), shaped as the editor would show it. */
  async function expected(order: 'psm' | 'spm'): Promise<string | undefined> {
    const { tokenizer } = loaded;
    const id = (t: string) => tokenizer.tokenToId(t)!;
    const cursor = TS.split('\n').slice(0, LINE).join('\n').length + 1 + CHARACTER;
    const { kept: prefix, cut, allowedTokens } = healByScan(tokenizer.encode(TS.slice(0, cursor)));
    const suffix = tokenizer.encode(TS.slice(cursor));
    const ids = order === 'spm'
      ? [id('<|fim_prefix|>'), id('<|fim_suffix|>'), ...suffix, id('<|fim_middle|>'), ...prefix]
      : [id('<|fim_prefix|>'), ...prefix, id('<|fim_suffix|>'), ...suffix, id('<|fim_middle|>')];
    const config = parseGenerationConfig({ ...loaded.folder.generationConfig, do_sample: false, max_new_tokens: 24 }).config;
    const run = generate(loaded.model, tokenizer, { prompts: [ids], config, ...(allowedTokens && { allowedTokens }) });
    const result = await run.result();
    const text = tokenizer.decode(result.sequences[0]!.tokenIds);
    assert.ok(text.startsWith(cut), `the first token continues ${JSON.stringify(cut)}: ${JSON.stringify(text)}`);
    return shapeCompletion(text.slice(cut.length), completionContext(TS, cursor, 1));
  }

  async function served(modelDir: string): Promise<string[]> {
    const sidecar = await SidecarProcess.start({ init: { modelDir, device: 'cpu', generation: { do_sample: false, max_new_tokens: 24 }, completion: { maxLines: 1 } } });
    try {
      await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
      await sidecar.openDocument('file:///config.ts', TS);
      const list = (await sidecar.connection.sendRequest(InlineCompletionRequest.type, { textDocument: { uri: 'file:///config.ts' }, position: { line: LINE, character: CHARACTER }, context: { triggerKind: 2 } })) as InlineCompletionList;
      return list.items.map((i) => String(i.insertText));
    } finally {
      await sidecar.stop();
    }
  }

  it('the shipped default declares SPM; the two orders complete this line differently', async () => {
    const [spm, psm] = [await expected('spm'), await expected('psm')];
    assert.notEqual(spm, psm, 'the case must tell the orders apart');
  });

  it('the sidecar prompts the shipped default suffix-first, and a folder without inkwell.json prefix-first', { timeout: 120_000 }, async () => {
    const spm = await expected('spm');
    const psm = await expected('psm');
    assert.deepEqual(await served(DEFAULT_MODEL), spm === undefined ? [] : [spm]);
    assert.deepEqual(await served(noDeclaration), psm === undefined ? [] : [psm]);
  });

  it('a cursor inside a word is healed: the prompt drops the partial token, the first token must start with it, the item is the rest of the word', { timeout: 120_000 }, async () => {
    const { tokenizer } = loaded;
    const id = (t: string) => tokenizer.tokenToId(t)!;
    const word = "  const text = readFil";
    const doc = TS.replace("  const text = readFileSync(path, 'utf8');", word);
    const line = doc.split('\n').findIndex((l) => l === word);
    const cursor = doc.split('\n').slice(0, line).join('\n').length + 1 + word.length;
    const { kept, cut, allowedTokens } = healByScan(tokenizer.encode(doc.slice(0, cursor)));
    assert.match(cut, /\w$/, 'the prefix ends inside a word');
    assert.ok(allowedTokens !== undefined && allowedTokens([])!.length > 1);
    const ids = [id('<|fim_prefix|>'), id('<|fim_suffix|>'), ...tokenizer.encode(doc.slice(cursor)), id('<|fim_middle|>'), ...kept];
    const config = parseGenerationConfig({ ...loaded.folder.generationConfig, do_sample: false, max_new_tokens: 24 }).config;
    const result = await generate(loaded.model, tokenizer, { prompts: [ids], config, allowedTokens }).result();
    const generatedText = tokenizer.decode(result.sequences[0]!.tokenIds);
    assert.ok(generatedText.startsWith(cut), `the first token continues ${JSON.stringify(cut)}: ${JSON.stringify(generatedText)}`);
    const expectedItem = shapeCompletion(generatedText.slice(cut.length), completionContext(doc, cursor, 1));

    const sidecar = await SidecarProcess.start({ init: { modelDir: DEFAULT_MODEL, device: 'cpu', generation: { do_sample: false, max_new_tokens: 24 }, completion: { maxLines: 1 } } });
    try {
      await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
      await sidecar.openDocument('file:///heal.ts', doc);
      const list = (await sidecar.connection.sendRequest(InlineCompletionRequest.type, { textDocument: { uri: 'file:///heal.ts' }, position: { line, character: word.length }, context: { triggerKind: 2 } })) as InlineCompletionList;
      assert.deepEqual(list.items.map((i) => String(i.insertText)), expectedItem === undefined ? [] : [expectedItem]);
    } finally {
      await sidecar.stop();
    }
  });
});

