import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DraftLengthSchedule } from '../../../../../sidecar/engine/generation/assisted/DraftLengthSchedule';
import { lookupContinuation, PromptLookupDrafter } from '../../../../../sidecar/engine/generation/assisted/PromptLookupDrafter';
import { CombinedDrafter } from '../../../../../sidecar/engine/generation/assisted/CombinedDrafter';
import type { CandidateGenerator, Draft } from '../../../../../sidecar/engine/generation/assisted/CandidateGenerator';

const context = (ids: number[]) => ({ ids, promptLength: ids.length, maxLength: 1000 });
const signal = new AbortController().signal;

describe('prompt lookup', () => {
  it('continues the most recent earlier occurrence of the last n-gram, longest n first', () => {
    //            0  1  2  3  4  5  6  7  8  9
    const ids = [1, 2, 3, 4, 9, 2, 3, 7, 8, 2, 3];
    // Last bigram [2, 3] occurs at 1 and 5: the most recent (5) wins → 7, 8, 2.
    assert.deepEqual(lookupContinuation(ids, 2, 3), [7, 8, 2]);
    // The continuation stops at the end of the ids.
    assert.deepEqual(lookupContinuation(ids, 2, 10), [7, 8, 2, 3]);
    // Trigram [9, 2, 3]? The tail is [8, 2, 3]: no earlier match; the bigram is used.
    assert.deepEqual(lookupContinuation(ids, 3, 2), [7, 8]);
    // A longer match beats a more recent shorter one: [5, 6] then 1 or [6] then 2.
    assert.deepEqual(lookupContinuation([5, 6, 1, 6, 2, 5, 6], 2, 1), [1]);
    assert.deepEqual(lookupContinuation([5, 6, 1, 6, 2, 5, 6], 1, 1), [2]);
    assert.deepEqual(lookupContinuation([1, 2, 3], 2, 4), [], 'no repeat, no draft');
    assert.deepEqual(lookupContinuation([4], 2, 4), []);
    assert.deepEqual(lookupContinuation([4, 4, 4], 2, 0), []);
  });

  it('drafts at most prompt_lookup_num_tokens and at most what the caller has room for', async () => {
    const drafter = new PromptLookupDrafter(3, 2);
    const ids = [1, 2, 3, 4, 5, 6, 1, 2];
    assert.deepEqual((await drafter.propose(context(ids), 10)).tokens, [3, 4, 5]);
    assert.deepEqual((await drafter.propose(context(ids), 2)).tokens, [3, 4]);
    assert.equal((await drafter.propose(context(ids), 2)).probabilities, undefined, 'a deterministic draft (q is one-hot)');
  });

  it('combined: lookup first, the assistant when lookup has nothing; only the proposer learns', async () => {
    const learned: string[] = [];
    const fake = (name: string, tokens: number[]): CandidateGenerator => ({
      async propose(): Promise<Draft> {
        return { tokens };
      },
      learn: (d, a) => void learned.push(`${name} ${d}/${a}`),
      async dispose() {},
    });
    const combined = new CombinedDrafter(fake('lookup', []), fake('assistant', [7, 7]));
    assert.deepEqual((await combined.propose(context([1]), 5, signal)).tokens, [7, 7]);
    combined.learn(2, 1);
    const withMatch = new CombinedDrafter(fake('lookup', [3]), fake('assistant', [7]));
    assert.deepEqual((await withMatch.propose(context([1]), 5, signal)).tokens, [3]);
    withMatch.learn(1, 1);
    assert.deepEqual(learned, ['assistant 2/1', 'lookup 1/1']);
  });
});

describe('num_assistant_tokens_schedule', () => {
  it("'heuristic': +2 after a fully accepted draft, −1 otherwise, never below 1", () => {
    const schedule = new DraftLengthSchedule({ numAssistantTokens: 3, numAssistantTokensSchedule: 'heuristic' });
    const seen = [schedule.length];
    for (const [drafted, accepted] of [[3, 3], [5, 2], [4, 0], [3, 0], [2, 0], [1, 0], [1, 1]] as const) {
      schedule.learn(drafted, accepted);
      seen.push(schedule.length);
    }
    assert.deepEqual(seen, [3, 5, 4, 3, 2, 1, 1, 3]);
  });

  it("'constant' never changes, and an empty draft teaches nothing", () => {
    const constant = new DraftLengthSchedule({ numAssistantTokens: 4, numAssistantTokensSchedule: 'constant' });
    constant.learn(4, 4);
    constant.learn(4, 0);
    assert.equal(constant.length, 4);
    const heuristic = new DraftLengthSchedule({ numAssistantTokens: 4, numAssistantTokensSchedule: 'heuristic' });
    heuristic.learn(0, 0);
    assert.equal(heuristic.length, 4);
  });
});
