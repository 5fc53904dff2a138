import { z } from 'zod';
import type { WebviewMessage } from '../../media/panel/messages';

const seq = z.number().int().nonnegative();
const generation = z.record(z.string(), z.unknown());
const prompt = z.string().max(1_000_000);

/**
 * The zod mirror of WebviewMessage: the webview is a browser page, so what it posts is checked
 * before the extension acts on it. The assignment below keeps this and the type in step.
 */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('setConfig'), seq, generation }),
  z.strictObject({ type: z.literal('generate'), runId: seq, prompt, generation }),
  z.strictObject({ type: z.literal('stopGenerate'), runId: seq }),
  z.strictObject({ type: z.literal('distribution'), seq, prompt, generation, topN: z.number().int().min(1).max(100) }),
]);

type Parsed = z.infer<typeof webviewMessageSchema>;
// Fails to compile when the schema and the union drift apart, in either direction.
const _sameShape: [Parsed extends WebviewMessage ? true : false, WebviewMessage extends Parsed ? true : false] = [true, true];
void _sameShape;

export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewMessage } | { ok: false; error: string } {
  const result = webviewMessageSchema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: z.prettifyError(result.error) };
}
