import { ErrorCodes, LSPErrorCodes } from 'vscode-languageserver-protocol';

/**
 * JSON-RPC error codes of Inkwell's failures. The server turns an InkwellError into a
 * ResponseError with one of these codes and `data: { code, details }` in exactly one place
 * (sidecar/server/toResponseError.ts). Invalid params — malformed params, and the
 * 'invalid-config' / 'invalid-argument' failures the engine finds in them — use JSON-RPC's own
 * -32602 with `data: { issues: [{ path, message }] }`; cancellation is LSP's RequestCancelled
 * (-32800).
 */
export const InkwellErrorCodes = {
  'invalid-config': -32001,
  'invalid-argument': -32002,
  'model-not-found': -32003,
  'model-invalid': -32004,
  'tokenizer-invalid': -32005,
  'provider-unavailable': -32006,
  'runtime-failure': -32007,
  'worker-crashed': -32008,
  /** No model is loaded yet (or the last load failed with none before it). */
  'no-model': -32009,
  /** Never sent: a stream that broke LSP's framing cannot carry an answer, so the sidecar exits. */
  'transport-invalid': -32010,
} as const;

export type InkwellErrorName = keyof typeof InkwellErrorCodes;

export interface InkwellErrorData {
  readonly code: InkwellErrorName;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface InvalidParamsData {
  readonly issues: readonly { readonly path: string; readonly message: string }[];
}

/** JSON-RPC's InvalidParams: malformed params, and an invalid config or argument in them. */
export const InvalidParamsCode: number = ErrorCodes.InvalidParams;

/**
 * The codes of a request that ended because it was cancelled, by the client (LSP's
 * RequestCancelled) or by the server (ServerCancelled): not failures to show.
 */
export const CancelledCodes: readonly number[] = [LSPErrorCodes.RequestCancelled, LSPErrorCodes.ServerCancelled];

export function isCancelledCode(code: unknown): boolean {
  return typeof code === 'number' && CancelledCodes.includes(code);
}
