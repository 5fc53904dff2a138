import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { z } from 'zod';
import { shorten } from '../engine';
import type { InvalidParamsData } from '../protocol';

/**
 * Parses params with a protocol schema; failures are InvalidParams listing every field path.
 * zod quotes unknown keys in its messages, and a key can be megabytes long: each path and
 * message is cut short, and at most 20 issues are listed.
 */
export function validateParams<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.length > 0 ? shorten(issue.path.map(String).join('.'), 200) : '(params)',
    message: shorten(issue.message, 300),
  }));
  const message = `invalid params: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
  throw new ResponseError<InvalidParamsData>(ErrorCodes.InvalidParams, message, { issues });
}
