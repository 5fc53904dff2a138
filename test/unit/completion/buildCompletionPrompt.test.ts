import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCompletionPrompt, type CompletionPrompt, type CompletionPromptInput } from '../../../sidecar/completion/buildCompletionPrompt';
import { fimFormat, type FimFormat } from '../../../sidecar/completion/fimFormat';
import { qwen3Tokenizer, smallTokenizer } from './support/tokenizers';

const qwen = qwen3Tokenizer();
const qwenFormat = fimFormat(qwen)!;
const encode = (t: string) => qwen.encode(t);
const decode = (ids: readonly number[]) => (ids.length === 0 ? '' : qwen.decode(ids));

/** A Python module of `count` small functions: long enough that every window is cut. */
function pythonModule(count: number, eol = '\n'): string {
  const parts: string[] = ['import os', 'import sys', ''];
  for (let i = 0; i < count; i++) {
    parts.push(`def handler_${i}(request, retries=${i % 5}):`, `    """Handle request number ${i}."""`, `    if request is None:`, `        return ${i}`, `    return request.value * ${i + 1}`, '');
  }
  return parts.join(eol);
}

function build(overrides: Partial<CompletionPromptInput> & Pick<CompletionPromptInput, 'text' | 'cursor'>): CompletionPrompt {
  return buildCompletionPrompt({ format: qwenFormat, encode, budget: 256, ...overrides });
}

function isLineStart(text: string, offset: number): boolean {
  return offset === 0 || text[offset - 1] === '\n';
}

function isLineEnd(text: string, offset: number): boolean {
  return offset === text.length || text[offset - 1] === '\n';
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** The PSM layout with Qwen markers, checked piece by piece against the windows. */
function assertPsm(prompt: CompletionPrompt, text: string, cursor: number, format: FimFormat = qwenFormat) {
  const { ids, prefixTokens: p, suffixTokens: s } = prompt;
  assert.equal(ids.length, p + s + 3);
  assert.equal(ids[0], format.prefixId);
  assert.equal(ids[p + 1], format.suffixId);
  assert.equal(ids[ids.length - 1], format.middleId);
  assert.equal(decode(ids.slice(1, p + 1)), text.slice(prompt.windowStart, cursor));
  assert.equal(decode(ids.slice(p + 2, p + 2 + s)), text.slice(cursor, prompt.suffixEnd));
}

describe('buildCompletionPrompt', () => {
  const doc = pythonModule(120);

  it('never exceeds the budget, cuts at line boundaries, and keeps the windows as text', () => {
    let midLineCuts = 0;
    for (const budget of [16, 40, 64, 129, 256, 1000]) {
      for (let cursor = 0; cursor <= doc.length; cursor += 97) {
        const prompt = build({ text: doc, cursor, budget });
        assert.ok(prompt.ids.length <= budget, `budget ${budget} cursor ${cursor}: ${prompt.ids.length}`);
        // Inside a line only where the cursor's own line does not fit.
        const cursorLine = doc.slice(doc.lastIndexOf('\n', cursor - 1) + 1, doc.indexOf('\n', cursor) + 1);
        const midLine = encode(cursorLine).length > (budget - 3) / 4;
        assert.ok(isLineStart(doc, prompt.windowStart) || midLine, `window start ${prompt.windowStart}`);
        assert.ok(isLineEnd(doc, prompt.suffixEnd) || midLine, `suffix end ${prompt.suffixEnd}`);
        if (midLine) midLineCuts++;
        assertPsm(prompt, doc, cursor);
      }
    }
    assert.ok(midLineCuts < 300, 'most cuts fall on line boundaries');
  });

  it('splits 3/4 prefix, 1/4 suffix when both sides are long, using most of the budget', () => {
    const cursor = doc.indexOf('def handler_60');
    const prompt = build({ text: doc, cursor, budget: 403 });
    const content = 400;
    // A fresh window leaves a quarter of the prefix budget free for typing. In PSM the suffix is
    // prefilled again on every keystroke, so it keeps to its quarter of the budget.
    assert.ok(prompt.prefixTokens <= 300 - 75 && prompt.prefixTokens > 300 - 75 - 20, `prefix ${prompt.prefixTokens}`);
    assert.ok(prompt.suffixTokens <= content / 4 && prompt.suffixTokens > content / 4 - 20, `suffix ${prompt.suffixTokens}`);
  });

  it("gives the suffix's unused budget to the prefix, never (in PSM) the prefix's to the suffix", () => {
    const nearEnd = doc.length - 30;
    const a = build({ text: doc, cursor: nearEnd, budget: 403 });
    assert.equal(a.suffixEnd, doc.length);
    assert.ok(a.prefixTokens > 225 + 40, `prefix ${a.prefixTokens}`);
    assert.ok(a.ids.length <= 403);
    const nearStart = doc.indexOf('import sys');
    const b = build({ text: doc, cursor: nearStart, budget: 403 });
    assert.equal(b.windowStart, 0);
    assert.ok(b.suffixTokens <= 100 && b.suffixTokens > 80, `suffix ${b.suffixTokens}`);
    assert.equal(b.ids.length, 3 + b.prefixTokens + b.suffixTokens);
  });

  it('a document that fits whole is the whole prompt', () => {
    const text = pythonModule(2);
    const cursor = text.indexOf('return 0') + 'return'.length;
    const prompt = build({ text, cursor, budget: 1000 });
    assert.equal(prompt.windowStart, 0);
    assert.equal(prompt.suffixEnd, text.length);
    assert.deepEqual(prompt.ids, [qwenFormat.prefixId, ...encode(text.slice(0, cursor)), qwenFormat.suffixId, ...encode(text.slice(cursor)), qwenFormat.middleId]);
  });

  it('is stable while typing: same window start, consecutive prompts share all ids up to the typed characters', () => {
    const base = pythonModule(120);
    const at = base.indexOf('def handler_70');
    const typed = 'def fetch_all(session, url):';
    assert.equal(typed.length, 28);
    const word = typed + '\n ';
    let previous: CompletionPrompt | undefined;
    const starts = new Set<number>();
    const lost: number[] = [];
    for (let i = 0; i <= word.length; i++) {
      const text = base.slice(0, at) + word.slice(0, i) + base.slice(at);
      const cursor = at + i;
      const prompt = build({ text, cursor, budget: 512, previousWindowStart: previous?.windowStart });
      assertPsm(prompt, text, cursor);
      starts.add(prompt.windowStart);
      if (previous) {
        // In PSM the reusable part ends at the cursor: how many of the previous prefix ids are lost.
        lost.push(previous.prefixTokens + 1 - commonPrefix(previous.ids, prompt.ids));
      }
      previous = prompt;
    }
    assert.equal(starts.size, 1);
    assert.equal(lost.length, 30);
    assert.ok(Math.max(...lost) <= 2, `ids lost per keystroke: ${lost.join(',')}`);
  });

  it('moves the window start in coarse steps, not line by line, while typing a long way', () => {
    const base = pythonModule(120);
    const at = base.indexOf('def handler_70');
    const line = '    total = total + compute(value, offset)\n';
    let text = base;
    let cursor = at;
    let windowStart: number | undefined;
    const moves: number[] = [];
    let tokensSinceMove = 0;
    for (let i = 0; i < 40 * line.length; i++) {
      text = text.slice(0, cursor) + line[i % line.length] + text.slice(cursor);
      cursor++;
      const prompt = build({ text, cursor, budget: 259, previousWindowStart: windowStart });
      assert.ok(prompt.ids.length <= 259);
      if (windowStart !== undefined && prompt.windowStart !== windowStart) {
        moves.push(tokensSinceMove);
        tokensSinceMove = 0;
      }
      if (i % line.length === line.length - 1) tokensSinceMove += encode(line).length;
      windowStart = prompt.windowStart;
    }
    // 40 lines of ~10 ids into a 192-id prefix budget: a line-by-line window would move ~40 times.
    assert.ok(moves.length >= 3 && moves.length <= 12, `moves: ${moves.length}`);
    for (const typedBetween of moves.slice(1)) assert.ok(typedBetween >= 192 / 4 - 20, `ids typed between moves: ${moves.join(',')}`);
  });

  it('SPM (StarCoder-style format): all ids but the last few are shared between keystrokes', () => {
    const small = smallTokenizer();
    const markerIds: Record<string, number> = {
      '<fim_prefix>': small.tokenToId('<|fim_prefix|>')!,
      '<fim_suffix>': small.tokenToId('<|fim_suffix|>')!,
      '<fim_middle>': small.tokenToId('<|fim_middle|>')!,
    };
    const format = fimFormat({ tokenToId: (t) => markerIds[t] })!;
    assert.equal(format.family, 'starcoder');
    const base = pythonModule(80);
    const at = base.indexOf('def handler_40');
    let previous: CompletionPrompt | undefined;
    const lost: number[] = [];
    for (let i = 0; i <= 30; i++) {
      const text = base.slice(0, at) + 'x'.repeat(i) + base.slice(at);
      const prompt = buildCompletionPrompt({ text, cursor: at + i, format, encode: (t) => small.encode(t), budget: 300, order: 'spm', previousWindowStart: previous?.windowStart });
      assert.ok(prompt.ids.length <= 300);
      assert.deepEqual(prompt.ids.slice(0, 2), [format.prefixId, format.suffixId]);
      assert.equal(prompt.ids[prompt.suffixTokens + 2], format.middleId);
      if (previous) lost.push(previous.ids.length - commonPrefix(previous.ids, prompt.ids));
      previous = prompt;
    }
    assert.ok(Math.max(...lost) <= 3, `ids lost per keystroke: ${lost.join(',')}`);
  });

  it('document text that spells marker tokens stays plain text', () => {
    const text = 's = "<|fim_prefix|><|endoftext|>"\nt = "<|fim_middle|>"\n<|fim_suffix|>\n';
    const cursor = text.indexOf('t =');
    const prompt = build({ text, cursor });
    assertPsm(prompt, text, cursor);
    for (const id of qwenFormat.stopTokenIds) {
      const expected = id === qwenFormat.prefixId || id === qwenFormat.suffixId || id === qwenFormat.middleId ? 1 : 0;
      assert.equal(prompt.ids.filter((x) => x === id).length, expected, qwen.idToToken(id));
    }
    // Texts beyond the format's own markers are guarded on request.
    const chat = build({ text: '<|im_start|>user\n', cursor: 17, reservedTexts: ['<|im_start|>'] });
    assert.ok(!chat.ids.includes(qwen.tokenToId('<|im_start|>')!));
    assert.equal(decode(chat.ids.slice(1, chat.prefixTokens + 1)), '<|im_start|>user\n');
  });

  it('a previous window start beyond reach (a jump in a large file) gives the fresh window', () => {
    const big = pythonModule(400);
    const cursor = big.lastIndexOf('def handler_');
    const fresh = build({ text: big, cursor, budget: 64 });
    const jumped = build({ text: big, cursor, budget: 64, previousWindowStart: 0 });
    assert.equal(jumped.windowStart, fresh.windowStart);
    assert.deepEqual(jumped.ids, fresh.ids);
  });

  it('empty prefix, empty suffix, empty document', () => {
    const atStart = build({ text: doc, cursor: 0 });
    assert.equal(atStart.prefixTokens, 0);
    assert.equal(atStart.ids[1], qwenFormat.suffixId);
    // Default budget 256: 253 ids after the markers; the suffix keeps to its quarter (64).
    assert.ok(atStart.suffixTokens > 40 && atStart.suffixTokens <= 64, `the suffix keeps to its share: ${atStart.suffixTokens}`);
    const atEnd = build({ text: doc, cursor: doc.length });
    assert.equal(atEnd.suffixTokens, 0);
    assert.equal(atEnd.suffixEnd, doc.length);
    assert.ok(atEnd.prefixTokens > 180 && atEnd.ids.length <= 256);
    assert.deepEqual(build({ text: '', cursor: 0 }).ids, [qwenFormat.prefixId, qwenFormat.suffixId, qwenFormat.middleId]);
  });

  it('CRLF documents: cuts fall after the \\r\\n, never between', () => {
    const text = pythonModule(60, '\r\n');
    for (let cursor = 0; cursor <= text.length; cursor += 89) {
      if (text[cursor - 1] === '\r') continue;
      const prompt = build({ text, cursor, budget: 128 });
      assert.ok(prompt.ids.length <= 128);
      assert.ok(isLineStart(text, prompt.windowStart));
      assert.ok(isLineEnd(text, prompt.suffixEnd));
      assertPsm(prompt, text, cursor);
    }
  });

  it('a cursor line longer than the budget is cut inside the line, and never inside a surrogate pair', () => {
    const text = 'x = "' + '😀a'.repeat(400) + '"\n';
    const cursor = text.length - 2;
    const prompt = build({ text, cursor, budget: 64 });
    assert.ok(prompt.ids.length <= 64);
    assert.ok(prompt.windowStart > 0);
    assertPsm(prompt, text, cursor);
    const code = text.charCodeAt(prompt.windowStart);
    assert.ok(!(code >= 0xdc00 && code <= 0xdfff));
    const atStart = build({ text, cursor: 5, budget: 64 });
    assert.ok(atStart.ids.length <= 64 && atStart.suffixEnd < text.length);
    assertPsm(atStart, text, 5);
  });

  it('a minified line is never encoded whole: the characters encoded stay near the windows, wherever the cursor is', () => {
    const line = 'var a=function(b){return b+1};'.repeat(20_000); // 600,000 characters
    const documents = { 'one line': line, 'a long line before the cursor': `${line}\nx = 1\n`, 'a long line after the cursor': `x = 1\n${line}\n` };
    for (const [name, text] of Object.entries(documents)) {
      for (const cursor of [0, 6, text.length >> 1, text.length - 7, text.length]) {
        let encoded = 0;
        const counting = (t: string) => ((encoded += t.length), encode(t));
        for (const format of [qwenFormat, undefined]) {
          const prompt = buildCompletionPrompt({ text, cursor, format, encode: counting, budget: 256 });
          assert.ok(prompt.ids.length <= 256, `${name} at ${cursor}: ${prompt.ids.length} ids`);
          if (format) assertPsm(prompt, text, cursor);
          else assert.equal(decode(prompt.ids), text.slice(prompt.windowStart, cursor));
        }
        assert.ok(encoded < 40_000, `${name}, cursor at ${cursor}: ${encoded} characters encoded`);
      }
    }
    const middle = build({ text: line, cursor: line.length >> 1 });
    assert.ok(middle.ids.length > 200, `both windows are cut inside the line and still fill the budget: ${middle.ids.length} ids`);
  });

  it('prefix-only mode: the prefix window alone, with the whole budget', () => {
    const cursor = doc.indexOf('def handler_90');
    const prompt = buildCompletionPrompt({ text: doc, cursor, format: undefined, encode, budget: 200 });
    assert.equal(prompt.mode, 'prefix');
    assert.equal(prompt.suffixTokens, 0);
    assert.equal(prompt.ids.length, prompt.prefixTokens);
    assert.ok(prompt.ids.length <= 200 && prompt.ids.length > 200 * 0.75 - 20);
    assert.equal(decode(prompt.ids), doc.slice(prompt.windowStart, cursor));
  });

  it('rejects a budget below the markers, an order the format was not trained on, a cursor outside the text', () => {
    assert.throws(() => build({ text: doc, cursor: 0, budget: 2 }), { name: 'InkwellError', code: 'invalid-argument' });
    assert.throws(() => build({ text: doc, cursor: 0, order: 'spm' }), /spm.*qwen/);
    assert.throws(() => build({ text: 'abc', cursor: 4 }), /cursor/);
  });

  it("a format declared SPM (the model folder's inkwell.json) builds SPM prompts without being asked: suffix first, then the prefix up to the cursor", () => {
    const spmFormat = fimFormat(qwen, 'spm')!;
    const text = pythonModule(3);
    const cursor = text.indexOf('return 1') + 'return'.length;
    const prompt = build({ text, cursor, format: spmFormat });
    const [p, s, m] = [spmFormat.prefixId, spmFormat.suffixId, spmFormat.middleId];
    assert.deepEqual(prompt.ids.slice(0, 2), [p, s]);
    const mAt = prompt.ids.indexOf(m);
    assert.equal(decode(prompt.ids.slice(2, mAt)), text.slice(cursor, prompt.suffixEnd));
    assert.equal(decode(prompt.ids.slice(mAt + 1)), text.slice(prompt.windowStart, cursor));
    assert.deepEqual(prompt, build({ text, cursor, format: spmFormat, order: 'spm' }));
    // The same tokenizer without the declaration stays PSM.
    assertPsm(build({ text, cursor }), text, cursor);
  });
});

