import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { InkwellNotifications, InkwellRequests } from '../../../sidecar/protocol';

/**
 * The extension passes sidecar/protocol's RequestType objects straight to vscode-languageclient.
 * That works only while the client, the server library and the protocol module share one
 * vscode-jsonrpc: the client's jsonrpc compares parameterStructures by identity and throws
 * "Unknown parameter structure" for another copy's (vscode-languageclient 11 with
 * vscode-languageserver 10 had two, and extension/sidecar/clientMessageTypes.ts rebuilt every type).
 */
describe('one vscode-jsonrpc', () => {
  // Resolved from inside each package, as its own code would; resolving loads nothing (the client would need vscode).
  const requireFrom = (pkg: string) => createRequire(require.resolve(pkg));
  const jsonrpcFrom = (pkg: string) => requireFrom(pkg)('vscode-jsonrpc') as typeof import('vscode-jsonrpc');
  const protocolFrom = (pkg: string) => requireFrom(pkg).resolve('vscode-languageserver-protocol');

  it('the language client, the language server and the protocol module load the same copy', () => {
    const ours = jsonrpcFrom('vscode-languageserver-protocol');
    assert.equal(jsonrpcFrom('vscode-languageclient'), ours);
    assert.equal(jsonrpcFrom('vscode-languageserver'), ours);
    assert.equal(protocolFrom('vscode-languageclient'), require.resolve('vscode-languageserver-protocol'));
    assert.equal(protocolFrom('vscode-languageserver'), require.resolve('vscode-languageserver-protocol'));
  });

  it('the contract\'s message types carry the client\'s own parameter structures', () => {
    const client = jsonrpcFrom('vscode-languageclient');
    const known = [client.ParameterStructures.auto, client.ParameterStructures.byName, client.ParameterStructures.byPosition];
    for (const type of [...Object.values(InkwellRequests), ...Object.values(InkwellNotifications)]) {
      assert.ok(type instanceof client.RequestType || type instanceof client.RequestType0 || type instanceof client.NotificationType, type.method);
      assert.ok(known.includes(type.parameterStructures), type.method);
    }
  });
});
