import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { InkwellError } from '../engine';
import { InkwellErrorCodes, type InkwellErrorData, type InvalidParamsData } from '../protocol';

/**
 * The one place where failures become JSON-RPC errors.
 * - zod issues and invalid-config errors are InvalidParams (-32602) with the field paths;
 * - other InkwellErrors keep their code in `data.code` and get a number from InkwellErrorCodes;
 * - anything else is an InternalError with its message (the sidecar keeps running).
 * `prefix` is the params path the failing value came from (e.g. "generation" or "config").
 */
export function toResponseError(error: unknown, prefix?: string): ResponseError<InkwellErrorData | InvalidParamsData | undefined> {
  if (error instanceof ResponseError) return error;
  if (error instanceof InkwellError) {
    if (error.code === 'invalid-config' || error.code === 'invalid-argument') {
      const field = typeof error.details.field === 'string' ? error.details.field : undefined;
      const path = [prefix, field].filter((p) => p !== undefined).join('.');
      const data: InvalidParamsData & InkwellErrorData = { code: error.code, details: error.details, issues: [{ path, message: error.message }] };
      return new ResponseError(ErrorCodes.InvalidParams, error.message, data);
    }
    return new ResponseError(InkwellErrorCodes[error.code], error.message, { code: error.code, details: error.details });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ResponseError(ErrorCodes.InternalError, `internal error: ${message}`, undefined);
}

/** A request that needs a model when none is loaded. */
export function noModelError(reason: string | undefined): ResponseError<InkwellErrorData> {
  const message = reason ? `no model is loaded: ${reason}` : 'no model is loaded yet';
  return new ResponseError(InkwellErrorCodes['no-model'], message, { code: 'no-model' });
}
