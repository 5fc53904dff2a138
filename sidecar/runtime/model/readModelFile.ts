import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { InkwellError } from '../../engine';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * The most Inkwell reads of each kind of model-folder file. A model folder can come from a cloned
 * repository: a file there may be a FIFO (reading it waits forever), a link to /dev/zero (endless)
 * or simply huge, so every read is of a regular file and bounded. The limits sit far above real
 * files (Gemma 3's tokenizer.json, the largest common one, is 33 MB).
 */
export const MODEL_FILE_LIMITS = {
  config: 4 * MiB,
  generationConfig: 1 * MiB,
  tokenizer: 128 * MiB,
  tokenizerConfig: 16 * MiB,
  chatTemplate: 1 * MiB,
  /** Protobuf cannot hold more: bigger weights live in external data files. */
  onnx: 2 * GiB,
  onnxExternalData: 256 * GiB,
} as const;

/**
 * Reads a regular file of at most `maxBytes`. Opening does not block (O_NONBLOCK: a FIFO would
 * wait for a writer), and the kind and size are checked on the opened descriptor, so what is read
 * is what was checked. Errors name the file and what was wrong, never its contents.
 */
export function readModelFile(path: string, maxBytes: number): Buffer {
  const fd = openModelFile(path);
  try {
    const size = checkOpened(path, fstatSync(fd), maxBytes);
    // Read to the end rather than trusting the size: /proc-like files say 0, a file may grow.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes, size) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw tooLarge(path, `more than ${formatBytes(maxBytes)}`, maxBytes);
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw tooLarge(path, `more than ${formatBytes(maxBytes)}`, maxBytes);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** readModelFile as UTF-8 text. */
export function readModelText(path: string, maxBytes: number): string {
  return readModelFile(path, maxBytes).toString('utf8');
}

/**
 * readModelFile parsed as JSON. A syntax error says where, not what: JSON.parse's own message
 * quotes the file's first bytes (for a link to /etc/passwd, its first line).
 */
export function readModelJson(path: string, maxBytes: number, code: 'model-invalid' | 'invalid-config' = 'model-invalid'): unknown {
  const text = readModelText(path, maxBytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InkwellError(code, `${path} is not valid JSON (${jsonSyntaxProblem(error, text)})`, {
      details: { file: path, reason: 'not-json' },
    });
  }
}

/**
 * Checks a file another reader opens itself (onnxruntime reads .onnx files by path): it must be a
 * regular file of at most `maxBytes`. Returns its size.
 */
export function checkModelFile(path: string, maxBytes: number): number {
  const fd = openModelFile(path);
  try {
    return checkOpened(path, fstatSync(fd), maxBytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * stat() that tells why a path cannot be used: undefined when nothing is there (ENOENT), else
 * the Stats; a symlink loop, a denied permission … throw an InkwellError naming the path.
 */
export function statModelPath(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw fileSystemError(path, error);
  }
}

/** The InkwellError for a failed open/stat: what the errno means for a model file, not the raw message. */
export function fileSystemError(path: string, error: unknown): InkwellError {
  const errno = errnoOf(error);
  const reason = (what: string, code: 'model-not-found' | 'model-invalid' = 'model-invalid') =>
    new InkwellError(code, `${path} ${what}`, { details: { file: path, reason: errno ?? 'unknown' } });
  switch (errno) {
    case 'ENOENT':
      return reason('does not exist', 'model-not-found');
    case 'ENOTDIR':
      return reason('does not exist (a part of its path is a file, not a folder)', 'model-not-found');
    case 'ELOOP':
      return reason('is a symlink loop (ELOOP): its links never lead to a file');
    case 'EACCES':
    case 'EPERM':
      return reason(`cannot be read: permission denied (${errno})`);
    case 'ENAMETOOLONG':
      return reason('is too long a path (ENAMETOOLONG)');
    default:
      return reason(`cannot be opened (${errno ?? 'unknown error'})`);
  }
}

function openModelFile(path: string): number {
  try {
    return openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw fileSystemError(path, error);
  }
}

function checkOpened(path: string, stats: Stats, maxBytes: number): number {
  const kind = nonRegularKind(stats);
  if (kind !== undefined) {
    throw new InkwellError('model-invalid', `${path} is ${kind}, not a regular file; Inkwell reads only regular files from a model folder`, {
      details: { file: path, reason: 'not-regular', kind },
    });
  }
  if (stats.size > maxBytes) throw tooLarge(path, formatBytes(stats.size), maxBytes);
  return stats.size;
}

function nonRegularKind(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function tooLarge(path: string, size: string, maxBytes: number): InkwellError {
  return new InkwellError('model-invalid', `${path} is ${size}, over Inkwell's ${formatBytes(maxBytes)} limit for this file`, {
    details: { file: path, reason: 'too-large', limit: maxBytes },
  });
}

export function formatBytes(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)} MiB`;
  return `${bytes} bytes`;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Where JSON.parse stopped, from V8's message without the text it quotes. */
function jsonSyntaxProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  if (/^Unexpected end of JSON input/.test(message)) return text.trim() === '' ? 'it is empty' : 'it ends before the JSON value does';
  const at = / (?:in|after) JSON at position (\d+)/.exec(message);
  if (at) {
    const position = Number(at[1]);
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    // These messages describe the expectation ("Expected ',' or '}' after property value"); only
    // the "Unexpected token" ones, which have no position, quote the text.
    return `${message.slice(0, at.index)} at line ${line}, column ${column}`;
  }
  return 'it does not start or continue as JSON should';
}
