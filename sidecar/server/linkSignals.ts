import type { CancellationToken } from 'vscode-languageserver';

/** One AbortSignal that fires when the LSP request is cancelled or any of `signals` aborts. */
export function linkSignals(token: CancellationToken | undefined, ...signals: AbortSignal[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const subscription = token?.onCancellationRequested(abort);
  if (token?.isCancellationRequested) abort();
  for (const s of signals) {
    if (s.aborted) abort();
    else s.addEventListener('abort', abort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      subscription?.dispose();
      for (const s of signals) s.removeEventListener('abort', abort);
    },
  };
}
