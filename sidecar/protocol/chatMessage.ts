import { z } from 'zod';

/**
 * One chat message, as `inkwell/generate`, `inkwell/nextTokenDistribution`, the CLI's `--chat`
 * file and the chat template renderer all take it: the roles Hugging Face chat templates know,
 * and nothing else (an unknown key is an error naming it, not silently dropped).
 */
export const ChatMessageSchema = z.strictObject({ role: z.enum(['system', 'user', 'assistant', 'tool']), content: z.string() });
export const ChatMessagesSchema = z.array(ChatMessageSchema).min(1);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
