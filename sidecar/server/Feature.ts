import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type InlineCompletionList, type InlineCompletionParams } from 'vscode-languageserver';
import type { RequestType, RequestType0 } from 'vscode-languageserver';
import { isAbortError } from '../engine';
import { toResponseError } from './toResponseError';

/** Where a feature declares the requests it answers; every handler is wrapped the same way (see `routesOn`). */
export interface FeatureRoutes {
  request<P, R>(type: RequestType<P, R, void>, handler: (params: P, token: CancellationToken) => Promise<R>): void;
  request0<R>(type: RequestType0<R, void>, handler: (token: CancellationToken) => Promise<R>): void;
  inlineCompletion(handler: (params: InlineCompletionParams, token: CancellationToken) => Promise<InlineCompletionList>): void;
}

/**
 * One area of the server (completions, generation, config …): it names its own requests in
 * `routes`, and releases what it holds in `dispose`. createServer builds the features and lists
 * them; it wires no handler by hand.
 */
export interface Feature {
  routes(on: FeatureRoutes): void;
  dispose?(): Promise<void>;
}

/** The routes of a connection: cancellation answers RequestCancelled, any other failure becomes one ResponseError. */
export function routesOn(connection: Connection): FeatureRoutes {
  // FeatureRoutes keeps params and results typed per request; vscode-languageserver's overloads
  // cannot be resolved for a generic P and R, so the registration itself is untyped.
  const onRequest = connection.onRequest.bind(connection) as unknown as (type: RequestType<never, unknown, void> | RequestType0<unknown, void>, handler: (...args: never[]) => Promise<unknown>) => void;
  return {
    request: (type, handler) => onRequest(type as RequestType<never, unknown, void>, guard(handler)),
    request0: (type, handler) => onRequest(type, (token: CancellationToken) => guard((_: undefined, t: CancellationToken) => handler(t))(undefined, token)),
    inlineCompletion: (handler) => void connection.languages.inlineCompletion.on(guard(handler)),
  };
}

/** Cancellation is not an error: it answers RequestCancelled and is not logged as a failure. */
function guard<P, R>(handler: (params: P, token: CancellationToken) => Promise<R>) {
  return async (params: P, token: CancellationToken): Promise<R> => {
    try {
      return await handler(params, token);
    } catch (error) {
      if (isAbortError(error) || (token.isCancellationRequested && !(error instanceof ResponseError))) {
        throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
      }
      throw toResponseError(error);
    }
  };
}
