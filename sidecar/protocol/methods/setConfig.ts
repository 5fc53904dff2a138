import { RequestType } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import { generationConfigJsonSchema } from '../generationConfigJson';
import { completionOptionsSchema, type ConfigState } from './getConfig';

export const setConfigParamsSchema = z.strictObject({
  /** Replaces the user's generation config (keys absent take the model's or HF's defaults). */
  generation: generationConfigJsonSchema.optional(),
  completion: completionOptionsSchema.partial().optional(),
});

export type SetConfigParams = Readonly<z.infer<typeof setConfigParamsSchema>>;

/** Validates with the same schema as generation_config.json; an invalid field is an InvalidParams error naming it. */
export const setConfigRequest = new RequestType<SetConfigParams, ConfigState, void>('inkwell/setConfig');
