import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { detectWatermark } from '../../../sidecar/engine/watermark/detectWatermark';
import { InkwellRequests, type InvalidParamsData } from '../../../sidecar/protocol';
import { HfTokenizer, readModelFolder } from '../../../sidecar/runtime/index';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel } from '../../support/testModels';

/**
 * inkwell/detectWatermark over real stdio: text the sidecar generated with its own
 * watermarking_config is detected with the key taken from that config, and the numbers equal
 * the engine's on the same token ids.
 */
describe('inkwell/detectWatermark over stdio', () => {
  const model = smallModel();
  const KEY = 4242;
  let sidecar: SidecarProcess;

  before(async () => {
    sidecar = await SidecarProcess.start({
      init: {
        modelDir: model,
        device: 'cpu',
        generation: { do_sample: true, top_k: 0, temperature: 0.6, seed: 9, watermarking_config: { hashing_key: KEY } },
      },
    });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
  });
  after(async () => sidecar?.stop());

  it('detects a watermarked generation with the configured key; another key does not', async () => {
    const generated = await sidecar.connection.sendRequest(InkwellRequests.generate, {
      prompt: 'class Parser:', config: { max_new_tokens: 200, min_new_tokens: 200 },
    });
    const text = generated.sequences[0]!.text;
    const found = await sidecar.connection.sendRequest(InkwellRequests.detectWatermark, { text });
    assert.equal(found.verdict, 'watermarked', `z = ${found.z}`);
    assert.equal(found.hashingKey, KEY);
    assert.equal(found.ignoreRepeatedNgrams, true);

    const folder = readModelFolder(model);
    const ids = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig, []).encode(text, { addSpecialTokens: false });
    const expected = detectWatermark(ids, { greenlistRatio: 0.25, hashingKey: KEY, contextWidth: 1 }, { ignoreRepeatedNgrams: true });
    assert.deepEqual([found.scored, found.green, found.z, found.p], [expected.scored, expected.green, expected.z, expected.p]);
    assert.equal(found.tokens.map((t) => text.slice(t.start, t.end)).join(''), text);
    // Tokens that end inside a character have no span of their own, so at most G are listed green.
    const listedGreen = found.tokens.filter((t) => t.status === 'green').length;
    assert.ok(listedGreen <= found.green && listedGreen > 0.8 * found.green, `${listedGreen} of ${found.green}`);

    const other = await sidecar.connection.sendRequest(InkwellRequests.detectWatermark, { text, hashingKey: KEY + 1 });
    assert.equal(other.verdict, 'not-watermarked', `z = ${other.z}`);
  });

  it('a short text is too short, and bad params answer InvalidParams naming the field', async () => {
    const short = await sidecar.connection.sendRequest(InkwellRequests.detectWatermark, { text: 'x = 1' });
    assert.equal(short.verdict, 'too-short');
    try {
      await sidecar.connection.sendRequest(InkwellRequests.detectWatermark, { text: 'x', greenlistRatio: 1 });
      assert.fail('expected InvalidParams');
    } catch (error) {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, ErrorCodes.InvalidParams);
      assert.deepEqual((error.data as InvalidParamsData).issues.map((i) => i.path), ['greenlistRatio']);
    }
  });
});
