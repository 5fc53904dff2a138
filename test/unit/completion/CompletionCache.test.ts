import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionCache } from '../../../sidecar/completion/CompletionCache';

const uri = 'file:///a.py';
const prefix = 'import os\n\ndef main():\n    path = os.pa';

describe('CompletionCache', () => {
  it('exact hit; misses on another document, another rest of line, another prefix', () => {
    const cache = new CompletionCache();
    cache.put({ uri, prefix, suffix: '' }, ['th.join(a, b)', 'th.exists(p)']);
    assert.deepEqual(cache.get(uri, prefix, ''), ['th.join(a, b)', 'th.exists(p)']);
    assert.equal(cache.get('file:///b.py', prefix, ''), undefined);
    assert.equal(cache.get(uri, prefix, ')'), undefined);
    assert.equal(cache.get(uri, prefix.replace('import os', 'import io'), ''), undefined);
  });

  it('typed-through hit: the characters typed since are taken off the completions that start with them', () => {
    const cache = new CompletionCache();
    cache.put({ uri, prefix, suffix: '' }, ['th.join(a, b)', 'th.exists(p)', 'rse(x)']);
    assert.deepEqual(cache.get(uri, prefix + 't', ''), ['h.join(a, b)', 'h.exists(p)']);
    assert.deepEqual(cache.get(uri, prefix + 'th.j', ''), ['oin(a, b)']);
    assert.deepEqual(cache.get(uri, prefix + 'th.join(a, b', ''), [')']);
  });

  it('typed-through: a mismatching character misses, and a completion typed to its end is dropped', () => {
    const cache = new CompletionCache();
    cache.put({ uri, prefix, suffix: '' }, ['th.join(a, b)']);
    assert.equal(cache.get(uri, prefix + 'tx', ''), undefined);
    assert.equal(cache.get(uri, prefix + 'th.join(a, b)', ''), undefined);
  });

  it('the closest stored prefix wins', () => {
    const cache = new CompletionCache();
    cache.put({ uri, prefix, suffix: '' }, ['th.join(a, b)']);
    cache.put({ uri, prefix: prefix + 'th.', suffix: '' }, ['exists(p)', 'join(x)']);
    assert.deepEqual(cache.get(uri, prefix + 'th.j', ''), ['oin(x)']);
    // Where the closest one has nothing for what was typed, a farther one may still answer.
    assert.deepEqual(cache.get(uri, prefix + 'th.join(a', ''), [', b)']);
  });

  it('backspace: a shorter prefix never offers deleted text; it hits only its own entry', () => {
    const cache = new CompletionCache();
    cache.put({ uri, prefix: prefix + 'th', suffix: '' }, ['.join(a, b)']);
    assert.equal(cache.get(uri, prefix, ''), undefined);
    cache.put({ uri, prefix, suffix: '' }, ['th.exists(p)']);
    assert.deepEqual(cache.get(uri, prefix, ''), ['th.exists(p)']);
    assert.deepEqual(cache.get(uri, prefix + 'th', ''), ['.join(a, b)']);
  });

  it('an edit far above the cursor (beyond the stored tail) is a miss', () => {
    const cache = new CompletionCache();
    const long = 'x = 1\n'.repeat(100) + prefix;
    cache.put({ uri, prefix: long, suffix: '' }, ['th']);
    const edited = 'y' + long.slice(1);
    assert.equal(cache.get(uri, edited, ''), undefined);
    assert.equal(cache.get(uri, edited + 't', ''), undefined);
    assert.deepEqual(cache.get(uri, long + 't', ''), ['h']);
  });

  it('evicts the least recently used entry; a hit or a put refreshes an entry', () => {
    const cache = new CompletionCache({ maxEntries: 3 });
    const key = (n: number) => ({ uri, prefix: `${prefix}${n}`, suffix: '' });
    cache.put(key(1), ['a']);
    cache.put(key(2), ['b']);
    cache.put(key(3), ['c']);
    assert.deepEqual(cache.get(uri, `${prefix}1`, ''), ['a']); // 1 is now the most recent
    cache.put(key(4), ['d']); // evicts 2
    assert.equal(cache.size, 3);
    assert.equal(cache.get(uri, `${prefix}2`, ''), undefined);
    cache.put(key(3), ['c2']); // replaces and refreshes 3
    cache.put(key(5), ['e']); // evicts 1
    assert.equal(cache.get(uri, `${prefix}1`, ''), undefined);
    assert.deepEqual(cache.get(uri, `${prefix}3`, ''), ['c2']);
    assert.deepEqual(cache.get(uri, `${prefix}4`, ''), ['d']);
    assert.deepEqual(cache.get(uri, `${prefix}5`, ''), ['e']);
  });

  it('defaults to 64 entries', () => {
    const cache = new CompletionCache();
    for (let i = 0; i < 70; i++) cache.put({ uri, prefix: `${prefix}${i}`, suffix: '' }, ['x']);
    assert.equal(cache.size, 64);
    assert.equal(cache.get(uri, `${prefix}5`, ''), undefined);
    assert.deepEqual(cache.get(uri, `${prefix}6`, ''), ['x']);
  });

  it('empty completions never hit; clear forgets a document or everything', () => {
    const cache = new CompletionCache();
    cache.put({ uri, prefix, suffix: '' }, ['']);
    assert.equal(cache.get(uri, prefix, ''), undefined);
    cache.put({ uri: 'file:///b.py', prefix, suffix: '' }, ['x']);
    cache.put({ uri, prefix, suffix: '' }, ['y']);
    cache.clear(uri);
    assert.equal(cache.get(uri, prefix, ''), undefined);
    assert.deepEqual(cache.get('file:///b.py', prefix, ''), ['x']);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  it('an empty prefix (cursor at the document start) is a key like any other', () => {
    const cache = new CompletionCache();
    cache.put({ uri, prefix: '', suffix: '' }, ['import os']);
    assert.deepEqual(cache.get(uri, 'im', ''), ['port os']);
  });

  it('rejects a maxEntries that is not a positive integer', () => {
    assert.throws(() => new CompletionCache({ maxEntries: 0 }), { name: 'InkwellError', code: 'invalid-argument' });
  });
});
