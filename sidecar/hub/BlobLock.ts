import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, watch, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { abortError } from '../engine';

/**
 * A lock on one blob of the cache, so that two downloads of the same repo (two windows, two
 * terminals) never write one `.incomplete` file at once: the second waits for the first and then
 * finds the blob done. The lock is a file created with O_EXCL that holds the owner's pid; a lock
 * whose process is gone (killed mid-download) is taken over. Waiting is on a file-system watch,
 * not a timer. (huggingface_hub locks with flock on `.locks/…/<etag>.lock`; this file has another
 * name so that neither mistakes the other's for its own.)
 */
export class BlobLock {
  private constructor(private readonly path: string) {}

  static async acquire(path: string, signal?: AbortSignal): Promise<BlobLock> {
    mkdirSync(dirname(path), { recursive: true });
    for (;;) {
      if (signal?.aborted) throw abortError();
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new BlobLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (!ownerAlive(path)) {
        removeIfPresent(path);
        continue;
      }
      await released(path, signal);
    }
  }

  release(): void {
    removeIfPresent(this.path);
  }
}

function ownerAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
  // A lock just created may not hold its pid yet: treat it as alive (its release wakes us).
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves when the lock file goes away (or at once if it already has). */
function released(path: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let watcher: ReturnType<typeof watch>;
    const done = (error?: Error) => {
      watcher?.close();
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => done(abortError());
    try {
      watcher = watch(path, () => done());
    } catch {
      resolve(); // gone between the failed open and the watch: try again
      return;
    }
    watcher.on('error', () => done());
    signal?.addEventListener('abort', onAbort, { once: true });
    // Released between the failed open and the watch starting?
    try {
      readFileSync(path);
    } catch {
      done();
    }
  });
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
