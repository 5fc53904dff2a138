import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InkwellRequests, InputLimits } from '../../../sidecar/protocol';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel } from '../../support/testModels';

/**
 * A long prompt or watermark text is tokenized off the request loop: a request sent right after
 * it is answered while it is still being tokenized. The long requests fail only after their
 * tokenization (a prompt longer than the model's 512 positions), so the order of the answers
 * says where the tokenizing ran: on the request loop, the long request would answer first.
 */
describe('long texts are tokenized off the request loop', () => {
  let sidecar: SidecarProcess;
  before(async () => {
    sidecar = await SidecarProcess.start({ init: { modelDir: smallModel(), device: 'cpu', generation: { do_sample: false } } });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
  });
  after(async () => sidecar?.stop());

  // Just under the limit, of varied text (a long run of one character tokenizes far faster).
  const words = ['def', 'value', 'return', 'self', 'import', 'numpy', 'x', '=', '(', ')', ':', '42', 'for', 'in', 'range'];
  let long = '';
  for (let i = 0; long.length < InputLimits.promptCharacters - 64; i++) long += `${words[(i * 7) % words.length]}${i % 11 === 0 ? '\n' : ' '}`;

  for (const kind of ['inkwell/generate', 'inkwell/detectWatermark'] as const) {
    it(`${kind} with ${long.length} characters: inkwell/status is answered first`, { timeout: 60_000 }, async () => {
      const order: string[] = [];
      const slow = (kind === 'inkwell/generate'
        ? sidecar.connection.sendRequest(InkwellRequests.generate, { prompt: long, config: { max_new_tokens: 1 } })
        : sidecar.connection.sendRequest(InkwellRequests.detectWatermark, { text: long })
      ).then(
        () => order.push(kind),
        () => order.push(kind),
      );
      const status = sidecar.connection.sendRequest(InkwellRequests.status).then(() => order.push('status'));
      await Promise.all([slow, status]);
      assert.deepEqual(order, ['status', kind]);
    });
  }
});
