import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { InkwellRequests, InputLimits, type InkwellErrorData, type InvalidParamsData } from '../../../sidecar/protocol';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel } from '../../support/testModels';

/**
 * Inputs too large to work on are refused up front with InvalidParams naming the field
 * and the limit (item 4), and a prompt is held to one length rule — maxPositions − 1 tokens —
 * whatever the request kind and whether it came as a prompt or as chat messages (item 6).
 */
describe('input limits over stdio', () => {
  const model = smallModel(); // 512 positions, a ChatML template, one token per digit
  const POSITIONS = 512;
  let sidecar: SidecarProcess;

  before(async () => {
    sidecar = await SidecarProcess.start({ init: { modelDir: model, device: 'cpu', generation: { do_sample: false } } });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
  });
  after(async () => sidecar?.stop());

  async function refusal(promise: Promise<unknown>): Promise<{ message: string; data: InvalidParamsData & InkwellErrorData }> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${String(error)}`);
      assert.equal(error.code, ErrorCodes.InvalidParams, error.message);
      return { message: error.message, data: error.data as InvalidParamsData & InkwellErrorData };
    }
    assert.fail('expected the request to be refused');
  }

  function assertTooLarge(refused: { message: string; data: InvalidParamsData & InkwellErrorData }, field: string, length: number, max: number, unit = 'characters'): void {
    assert.equal(refused.data.code, 'invalid-argument');
    assert.deepEqual(refused.data.details, { field, length, max, unit });
    assert.deepEqual(refused.data.issues.map((i) => i.path), [field]);
    assert.ok(refused.message.includes(`at most ${max}`), refused.message);
  }

  it('refuses a prompt over InputLimits.promptCharacters in generate and nextTokenDistribution, naming the field and the limit', async () => {
    const max = InputLimits.promptCharacters;
    const prompt = '1'.repeat(max + 1);
    assertTooLarge(await refusal(sidecar.connection.sendRequest(InkwellRequests.generate, { prompt })), 'prompt', max + 1, max);
    assertTooLarge(await refusal(sidecar.connection.sendRequest(InkwellRequests.nextTokenDistribution, { prompt })), 'prompt', max + 1, max);
  });

  it('refuses messages over InputLimits (entries, and characters together) before rendering them', async () => {
    const many = Array.from({ length: InputLimits.messages + 1 }, () => ({ role: 'user' as const, content: '1' }));
    assertTooLarge(await refusal(sidecar.connection.sendRequest(InkwellRequests.generate, { messages: many })), 'messages', many.length, InputLimits.messages, 'entries');
    const half = '1'.repeat(InputLimits.promptCharacters / 2);
    const long = [{ role: 'system' as const, content: half }, { role: 'user' as const, content: `${half}1` }];
    const refused = await refusal(sidecar.connection.sendRequest(InkwellRequests.nextTokenDistribution, { messages: long }));
    assertTooLarge(refused, 'messages', InputLimits.promptCharacters + 1, InputLimits.promptCharacters);
  });

  it('refuses detectWatermark text over InputLimits.watermarkTextCharacters, also far over it', async () => {
    const max = InputLimits.watermarkTextCharacters;
    for (const length of [max + 1, 5_000_000]) {
      const refused = await refusal(sidecar.connection.sendRequest(InkwellRequests.detectWatermark, { text: 'x'.repeat(length) }));
      assertTooLarge(refused, 'text', length, max);
    }
  });

  it('holds prompt and messages to maxPositions − 1 tokens in generate and nextTokenDistribution, with one error', async () => {
    // Each digit is one token here, so a text of n digits has n + (what the rest adds) tokens.
    const tokensOf = async (input: { prompt: string } | { messages: { role: 'user'; content: string }[] }) =>
      (await sidecar.connection.sendRequest(InkwellRequests.nextTokenDistribution, input)).promptTokens;
    const kinds = [
      { field: 'prompt', input: (digits: number) => ({ prompt: '7'.repeat(digits) }) },
      { field: 'messages', input: (digits: number) => ({ messages: [{ role: 'user' as const, content: '7'.repeat(digits) }] }) },
    ];
    for (const { field, input } of kinds) {
      const overhead = (await tokensOf(input(1))) - 1;
      const fits = POSITIONS - 1 - overhead;
      assert.equal(await tokensOf(input(fits)), POSITIONS - 1, `${field}: the largest prompt`);
      const generated = await sidecar.connection.sendRequest(InkwellRequests.generate, { ...input(fits), config: { max_new_tokens: 1 } });
      assert.equal(generated.sequences[0]!.tokenIds.length, 1, `${field}: one token fits after the largest prompt`);
      const requests = {
        generate: () => sidecar.connection.sendRequest(InkwellRequests.generate, input(fits + 1)),
        nextTokenDistribution: () => sidecar.connection.sendRequest(InkwellRequests.nextTokenDistribution, input(fits + 1)),
      };
      for (const [method, send] of Object.entries(requests)) {
        const refused = await refusal(send());
        assert.equal(refused.data.code, 'invalid-argument');
        assert.deepEqual(refused.data.details, { field, tokens: POSITIONS, maxPromptTokens: POSITIONS - 1, maxPositions: POSITIONS }, `${method} ${field}`);
        assert.deepEqual(refused.data.issues.map((i) => i.path), [field]);
        assert.equal(refused.message, `${field} has ${POSITIONS} tokens: a model with ${POSITIONS} positions takes at most ${POSITIONS - 1} (one stays for the next token)`);
      }
    }
  });

  it('still answers after the refusals', async () => {
    const status = await sidecar.connection.sendRequest(InkwellRequests.status);
    assert.equal(status.state, 'ready');
  });
});
