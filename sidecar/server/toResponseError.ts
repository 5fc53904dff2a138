import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { echoValue, InkwellError, shorten } from '../engine';
import { InkwellErrorCodes, type InkwellErrorData, type InvalidParamsData } from '../protocol';

/** Longest error message sent back; messages quote user input, which has no size of its own. */
export const MAX_ERROR_MESSAGE = 2000;

/**
 * The one place where failures become JSON-RPC errors.
 * - zod issues and invalid-config errors are InvalidParams (-32602) with the field paths;
 * - other InkwellErrors keep their code in `data.code` and get a number from InkwellErrorCodes;
 * - anything else is an InternalError with its message (the sidecar keeps running).
 * `prefix` is the params path the failing value came from (e.g. "generation" or "config").
 * Messages and details are cut to a bounded size (echoValue): an error about a 10 MB value
 * must not send the 10 MB back, nor a 5,000-level value that JSON.stringify cannot write.
 */
export function toResponseError(error: unknown, prefix?: string): ResponseError<InkwellErrorData | InvalidParamsData | undefined> {
  if (error instanceof ResponseError) return error;
  if (error instanceof InkwellError) {
    const message = shorten(error.message, MAX_ERROR_MESSAGE);
    const details = echoValue(error.details) as Record<string, unknown>;
    if (error.code === 'invalid-config' || error.code === 'invalid-argument') {
      const field = typeof details.field === 'string' ? details.field : undefined;
      const path = [prefix, field].filter((p) => p !== undefined).join('.');
      const data: InvalidParamsData & InkwellErrorData = { code: error.code, details, issues: [{ path, message }] };
      return new ResponseError(ErrorCodes.InvalidParams, message, data);
    }
    return new ResponseError(InkwellErrorCodes[error.code], message, { code: error.code, details });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ResponseError(ErrorCodes.InternalError, `internal error: ${shorten(message, MAX_ERROR_MESSAGE)}`, undefined);
}

/** A request that needs a model when none is loaded. */
export function noModelError(reason: string | undefined): ResponseError<InkwellErrorData> {
  const message = reason ? `no model is loaded: ${reason}` : 'no model is loaded yet';
  return new ResponseError(InkwellErrorCodes['no-model'], message, { code: 'no-model' });
}
