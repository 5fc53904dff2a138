import { z } from 'zod';
import { generationConfigJsonSchema } from './generationConfigJson';
import { completionOptionsSchema } from './methods/getConfig';
import { deviceSchema, dtypeSchema } from './methods/loadModel';

const initializationOptionsObject = z.object({
  modelDir: z.string().optional(),
  /** An assistant (draft) model folder for speculative decoding of completions. */
  assistantModelDir: z.string().optional(),
  device: deviceSchema.optional(),
  dtype: dtypeSchema.optional(),
  generation: generationConfigJsonSchema.optional(),
  completion: completionOptionsSchema.partial().optional(),
});

/** initializationOptions the client passes in `initialize`. */
export type InitializationOptions = Readonly<z.infer<typeof initializationOptionsObject>>;

/**
 * What the server accepts as initializationOptions: absent, null, or the object above with any
 * other keys ignored (another client may pass options of its own).
 */
export const initializationOptionsSchema = initializationOptionsObject.loose().optional().nullable();
