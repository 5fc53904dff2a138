import { RequestType } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import type { StatusInfo } from './status';

export const deviceSchema = z.enum(['auto', 'cuda', 'webgpu', 'cpu']);
export type Device = z.infer<typeof deviceSchema>;

export const dtypeSchema = z.enum(['auto', 'fp32', 'fp16', 'q4', 'q4f16', 'int8', 'uint8', 'quantized', 'bnb4']);
export type Dtype = z.infer<typeof dtypeSchema>;

export const loadModelParamsSchema = z.strictObject({
  /** A model folder (HF / onnx-community layout). */
  dir: z.string().min(1),
  /** A smaller model with the same tokenizer that drafts tokens for speculative decoding. */
  assistantDir: z.string().min(1).optional(),
  dtype: dtypeSchema.optional(),
  device: deviceSchema.optional(),
});

export type LoadModelParams = Readonly<z.infer<typeof loadModelParamsSchema>>;

/** Loads a model folder; on failure the previous model keeps serving and the status says why. */
export const loadModelRequest = new RequestType<LoadModelParams, StatusInfo, void>('inkwell/loadModel');
