import { isCancelledCode } from '../../sidecar/protocol';

/**
 * One line for the user from a failed sidecar request. An invalid config arrives as InvalidParams
 * (-32602) with data.issues [{ path: "generation.temperature", message }]; each issue is shown
 * with its field unless the message already names it. vscode-free (errors are read by shape).
 */
export function describeSidecarError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, data } = error as { message?: unknown; data?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const issues = (data as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return text;
  return issues
    .map((issue: { path?: unknown; message?: unknown }) => {
      const path = typeof issue.path === 'string' ? issue.path : '';
      const said = typeof issue.message === 'string' ? issue.message : text;
      const field = path.split('.').filter((p) => p !== '' && p !== 'generation' && p !== 'completion').join('.');
      return field === '' || said.includes(field) ? said : `${field}: ${said}`;
    })
    .join('; ');
}

/** LSP's RequestCancelled / ServerCancelled, and vscode's CancellationError: not errors to show. */
export function isCancellation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return isCancelledCode(code) || name === 'Canceled';
}
