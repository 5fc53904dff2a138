import * as vscode from 'vscode';
import { InkwellRequests, type StatusInfo } from '../../sidecar/protocol';
import type { SidecarClient } from './SidecarClient';

const settling: ReadonlySet<StatusInfo['state']> = new Set(['starting', 'loading']);

/**
 * Resolves with the sidecar's status once it is no longer starting or loading a model, so a
 * request that needs the model (right after activation, or after a model switch) waits for the
 * load instead of failing with "no model". Waits on onStatus (subscribed before asking, so no
 * change is missed); rejects with a CancellationError when `token` is cancelled.
 */
export async function whenModelSettled(sidecar: SidecarClient, token: vscode.CancellationToken): Promise<StatusInfo> {
  const subscriptions: vscode.Disposable[] = [];
  try {
    const changed = new Promise<StatusInfo>((resolve, reject) => {
      subscriptions.push(
        sidecar.onStatus((status) => {
          if (!settling.has(status.state)) resolve(status);
        }),
        token.onCancellationRequested(() => reject(new vscode.CancellationError())),
      );
    });
    changed.catch(() => undefined); // awaited only while settling; a late cancellation is no error
    const now = await sidecar.sendRequest(InkwellRequests.status, token);
    return settling.has(now.state) ? await changed : now;
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
}
