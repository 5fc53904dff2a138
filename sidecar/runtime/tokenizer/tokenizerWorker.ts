import { parentPort, workerData } from 'node:worker_threads';
import { HfTokenizer } from './HfTokenizer';

/**
 * The tokenizer worker (see OffThreadEncoder): the same tokenizer.json, encoding one text a
 * message, so that a long text never holds up the sidecar's request loop.
 */
const { tokenizerJson, tokenizerConfig } = workerData as { tokenizerJson: Record<string, unknown>; tokenizerConfig: Record<string, unknown> };
const tokenizer = new HfTokenizer(tokenizerJson, tokenizerConfig);

parentPort!.on('message', (message: { id: number; text: string; addSpecialTokens: boolean }) => {
  try {
    const ids = Int32Array.from(tokenizer.encode(message.text, { addSpecialTokens: message.addSpecialTokens }));
    parentPort!.postMessage({ id: message.id, ids }, [ids.buffer]);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
