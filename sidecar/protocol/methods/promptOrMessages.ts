import { z } from 'zod';
import { ChatMessagesSchema } from '../chatMessage';
import { generationConfigJsonSchema } from '../generationConfigJson';

/** The params inkwell/generate and inkwell/nextTokenDistribution share: what to run, and how. */
export const promptOrMessages = {
  /** Raw prompt text (encoded as is). Exactly one of prompt / messages. */
  prompt: z.string().optional(),
  /** Chat messages, rendered with the model's chat template. */
  messages: ChatMessagesSchema.optional(),
  /** Overrides on top of the sidecar's current generation config (HF snake_case keys). */
  config: generationConfigJsonSchema.optional(),
};

export const exactlyOnePrompt = (p: { prompt?: string | undefined; messages?: unknown[] | undefined }): boolean =>
  (p.prompt === undefined) !== (p.messages === undefined);
export const exactlyOnePromptIssue = { message: 'give exactly one of prompt or messages', path: ['prompt'] };
