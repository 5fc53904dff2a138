import { existsSync, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { WaitTimeoutError } from './withTimeout';

/**
 * Resolves with the content of `path` once `accept` returns true for it, checking now and on
 * every change in its folder (editors often replace a file rather than write it in place).
 */
export async function waitForFile(path: string, accept: (content: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  const read = () => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
  // A half-written file may make `accept` throw (JSON.parse): that is a "not yet".
  const accepted = (content: string | undefined) => {
    try {
      return content !== undefined && accept(content);
    } catch {
      return false;
    }
  };
  const now = read();
  if (accepted(now)) return now!;
  const controller = new AbortController();
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller.abort();
      reject(new WaitTimeoutError(`${what} (${path} is now: ${read() ?? 'missing'})`, timeoutMs));
    }, timeoutMs);
    watch(dirname(path), { signal: controller.signal }, (_event, name) => {
      if (name !== null && name !== basename(path)) return;
      const content = read();
      if (!accepted(content)) return;
      clearTimeout(timer);
      controller.abort();
      resolve(content!);
    });
  });
}
