import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { z } from 'zod';
import type { InvalidParamsData } from '../protocol';

/** Parses params with a protocol schema; failures are InvalidParams listing every field path. */
export function validateParams<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(params)',
    message: issue.message,
  }));
  const message = `invalid params: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
  throw new ResponseError<InvalidParamsData>(ErrorCodes.InvalidParams, message, { issues });
}
