import { z } from 'zod';
import { ChatMessagesSchema } from './chatMessage';

/**
 * zod schemas of the params that enter the sidecar. The server validates every request with
 * these; a failure becomes InvalidParams listing each issue's field path. Generation configs
 * are only checked to be objects here: their fields are validated by the engine's own schema
 * (the same one generation_config.json files go through), which names the field and range.
 */
// Passed through as sent, not copied: z.record copies key by key, and assigning a "__proto__"
// key (JSON.parse makes it an own key) set the copy's prototype, so the key vanished before the
// engine could refuse it like any other unknown key.
const configObject = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'expected a generation config object',
});
const promptOrMessages = {
  prompt: z.string().optional(),
  messages: ChatMessagesSchema.optional(),
  config: configObject.optional(),
};
const exactlyOnePrompt = (p: { prompt?: string | undefined; messages?: unknown[] | undefined }) => (p.prompt === undefined) !== (p.messages === undefined);
const exactlyOneMessage = { message: 'give exactly one of prompt or messages', path: ['prompt'] };

export const generateParamsSchema = z
  .strictObject({ ...promptOrMessages, streamId: z.string().min(1).max(200).optional() })
  .refine(exactlyOnePrompt, exactlyOneMessage);

export const nextTokenDistributionParamsSchema = z
  .strictObject({ ...promptOrMessages, topN: z.number().int().min(1).max(100).optional() })
  .refine(exactlyOnePrompt, exactlyOneMessage);

export const completionOptionsSchema = z.strictObject({
  enabled: z.boolean(),
  maxLines: z.number().int().min(1).max(200),
  contextTokens: z.number().int().min(16).max(32768),
  promptLookupTokens: z.number().int().min(0).max(64),
});

export const setConfigParamsSchema = z.strictObject({
  generation: configObject.optional(),
  completion: completionOptionsSchema.partial().optional(),
});

export const loadModelParamsSchema = z.strictObject({
  dir: z.string().min(1),
  assistantDir: z.string().min(1).optional(),
  dtype: z.enum(['auto', 'fp32', 'fp16', 'q4', 'q4f16', 'int8', 'uint8', 'quantized', 'bnb4']).optional(),
  device: z.enum(['auto', 'cuda', 'webgpu', 'cpu']).optional(),
});

export const initializationOptionsSchema = z
  .looseObject({
    modelDir: z.string().optional(),
    assistantModelDir: z.string().optional(),
    device: z.enum(['auto', 'cuda', 'webgpu', 'cpu']).optional(),
    dtype: loadModelParamsSchema.shape.dtype,
    generation: configObject.optional(),
    completion: completionOptionsSchema.partial().optional(),
  })
  .optional()
  .nullable();

export const detectWatermarkParamsSchema = z.strictObject({
  // Its length is checked against InputLimits by the feature (an error naming the limit).
  text: z.string(),
  hashingKey: z.number().int().min(0).max(0xffff_ffff).optional(),
  greenlistRatio: z.number().gt(0).lt(1).optional(),
  contextWidth: z.number().int().min(1).max(1024).optional(),
  zThreshold: z.number().finite().optional(),
  minTokens: z.number().int().min(1).optional(),
  ignoreRepeatedNgrams: z.boolean().optional(),
});
