import * as client from 'vscode-languageclient/node';

/**
 * sidecar/protocol's RequestType/NotificationType objects come from the
 * vscode-languageserver-protocol the sidecar uses (3.18.4, vscode-jsonrpc 9); vscode-languageclient
 * 11 pins its own copy (3.18.5, vscode-jsonrpc 10). The two do not mix: the client's jsonrpc
 * compares `parameterStructures` by identity and throws "Unknown parameter structure" for the
 * other copy's, and TypeScript rejects them too (a private field). So the extension takes the
 * contract's types by shape (`_` is the phantom tuple both copies declare: [P, R, E, _EM] for a
 * request with params, [R, E, _EM] without) and rebuilds each in the client's copy, keeping its
 * method and parameter structure.
 */
export interface ContractRequest<P, R> {
  readonly method: string;
  readonly _: readonly [P, R, unknown, unknown] | undefined;
}

export interface ContractRequest0<R> {
  readonly method: string;
  readonly _: readonly [R, unknown, unknown] | undefined;
}

export interface ContractNotification<P> {
  readonly method: string;
  readonly _: readonly [P, unknown] | undefined;
}

/** What every jsonrpc message type has at run time, whichever copy made it. */
interface MessageSignature {
  readonly method: string;
  readonly numberOfParams?: number;
  readonly parameterStructures?: { toString(): string };
}

export function hasNoParams(type: { readonly method: string }): boolean {
  return (type as MessageSignature).numberOfParams === 0;
}

export function toClientRequest<P, R>(type: ContractRequest<P, R>): client.RequestType<P, R, void> {
  return cached(type, () => new client.RequestType<P, R, void>(type.method, parameterStructures(type)));
}

export function toClientRequest0<R>(type: ContractRequest0<R>): client.RequestType0<R, void> {
  return cached(type, () => new client.RequestType0<R, void>(type.method));
}

export function toClientNotification<P>(type: ContractNotification<P>): client.NotificationType<P> {
  return cached(type, () => new client.NotificationType<P>(type.method, parameterStructures(type)));
}

const converted = new WeakMap<object, unknown>();
function cached<T>(type: object, make: () => T): T {
  let value = converted.get(type) as T | undefined;
  if (value === undefined) converted.set(type, (value = make()));
  return value;
}

function parameterStructures(type: { readonly method: string }): client.ParameterStructures {
  switch ((type as MessageSignature).parameterStructures?.toString()) {
    case 'byName':
      return client.ParameterStructures.byName;
    case 'byPosition':
      return client.ParameterStructures.byPosition;
    default:
      return client.ParameterStructures.auto;
  }
}
