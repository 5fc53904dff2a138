/** The part of a vscode.CancellationToken this needs (so that this file stays vscode-free). */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/**
 * Waits `ms`, or less if the token is cancelled first. Resolves true when the wait ran out
 * with the token still live — the caller may go on — and false when it was cancelled.
 *
 * This is the completions' debounce: VS Code cancels the previous inline completion request on
 * the next keystroke, so only the last keystroke of a burst gets past the wait to the sidecar.
 */
export function waitUnlessCancelled(ms: number, token: CancellationTokenLike): Promise<boolean> {
  if (token.isCancellationRequested) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve(!token.isCancellationRequested);
    }, ms);
    const subscription = token.onCancellationRequested(() => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(false);
    });
  });
}
