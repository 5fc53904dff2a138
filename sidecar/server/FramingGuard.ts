import { Transform, type TransformCallback } from 'node:stream';
import { InkwellError } from '../engine';

/**
 * The largest message the sidecar takes, in bytes. VS Code hands extensions documents of up to
 * 50 Mi UTF-16 units; as UTF-8 JSON that is at most about 150 MiB (3 bytes a character), so a
 * real client stays under this, while a corrupt or hostile length (1e12) is refused before a
 * byte of its body is buffered.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** "Content-Type: application/vscode-jsonrpc; charset=utf-8" is 55 bytes; anything near this is not a header. */
const MAX_HEADER_LINE_BYTES = 1024;
const MAX_HEADER_BLOCK_BYTES = 8 * 1024;
/** How far back from a raw CR in a body to look for a swallowed header ("Content-Length: <16 digits>"). */
const LOOKBACK_BYTES = 48;
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const SWALLOWED_HEADER = /content-length[ \t]*:[ \t]*\d+[ \t]*$/i;

/**
 * Checks the LSP base protocol's framing (`Content-Length: N\r\n\r\n` + N bytes) of the bytes on
 * their way to vscode-jsonrpc's StreamMessageReader, and passes them on unchanged. That reader
 * has no size limit and does not notice a stream that lost its framing: it buffers garbage
 * without CRLF forever, reads `-5` or `1e12` as a length, waits for the rest of a body that is
 * longer than what was sent, and parses the tail of a body that was cut short as headers.
 *
 * There is no sound way back into a stream that lost its framing: a message that was cut or
 * swallowed may have been a didChange (the document copies now differ) or a request (never
 * answered). So a violation is fatal: the guard fails with `transport-invalid` and the sidecar
 * exits with a clear log; the extension restarts it, and the new session starts consistent
 * (initialize with the settings, didOpen with every document's full text).
 *
 * A violation is found as soon as its bytes arrive: a header line must be `token: value` CRLF
 * and the first byte that cannot be part of one fails; a length must be decimal digits and at
 * most `maxMessageBytes`. A length that is too long swallows the start of the next message, and
 * is caught by that message's header inside the body: a raw CR after `Content-Length: N` can be
 * no part of a JSON text (a string cannot hold a raw CR, and outside strings only whitespace,
 * literals, numbers and punctuation are allowed), so it is a header, never data.
 *
 * A well-framed body that is not JSON is left to the reader (it reports it and goes on): the
 * framing, and with it every other message, is intact.
 */
export class FramingGuard extends Transform {
  private inBody = false;
  private bodyLeft = 0;
  private messageLength = 0;
  /** The last body bytes seen, to match a swallowed header that straddles two chunks. */
  private bodyTail = Buffer.alloc(0);
  private readonly line = Buffer.alloc(MAX_HEADER_LINE_BYTES);
  private lineLength = 0;
  private lineHasColon = false;
  private afterCR = false;
  private headerBytes = 0;
  private contentLength: number | undefined;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {
    super();
  }

  /** Where the stream stood when it ended, when that was inside a message (for the exit log). */
  get cutOff(): string | undefined {
    if (this.inBody) return `it ended ${this.messageLength - this.bodyLeft} bytes into a ${this.messageLength}-byte message`;
    if (this.headerBytes > 0 || this.lineLength > 0) return 'it ended inside a message header';
    return undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const problem = this.scan(chunk);
    if (problem) {
      callback(new InkwellError('transport-invalid', problem, { details: { maxMessageBytes: this.maxMessageBytes } }));
      return;
    }
    callback(null, chunk);
  }

  /** Follows the framing through `chunk`; returns what is wrong, if anything. */
  private scan(chunk: Buffer): string | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.inBody) {
        const end = i + Math.min(this.bodyLeft, chunk.length - i);
        const problem = this.scanBody(chunk.subarray(i, end));
        if (problem) return problem;
        this.bodyLeft -= end - i;
        i = end;
        if (this.bodyLeft === 0) this.startHeader();
        continue;
      }
      const problem = this.headerByte(chunk[i]!);
      if (problem) return problem;
      i++;
    }
    return undefined;
  }

  private headerByte(byte: number): string | undefined {
    if (++this.headerBytes > MAX_HEADER_BLOCK_BYTES) return `a message header is longer than ${MAX_HEADER_BLOCK_BYTES} bytes`;
    if (this.afterCR) {
      this.afterCR = false;
      return byte === LF ? this.endLine() : `a header line must end with CRLF; got CR then ${excerpt(Buffer.of(byte))}`;
    }
    if (byte === CR) {
      this.afterCR = true;
      return undefined;
    }
    if (byte === LF) return `a header line must end with CRLF, not a bare LF (after ${this.lineExcerpt()})`;
    if (this.lineLength === MAX_HEADER_LINE_BYTES) return `a header line is longer than ${MAX_HEADER_LINE_BYTES} bytes`;
    if (!this.lineHasColon) {
      if (byte === COLON && this.lineLength > 0) {
        this.lineHasColon = true;
      } else if (!isTokenByte(byte)) {
        return `expected a header such as "Content-Length: 52", got ${this.lineExcerpt(byte)}`;
      }
    }
    this.line[this.lineLength++] = byte;
    return undefined;
  }

  /** A CRLF: either one header line is complete, or (an empty line) the header is. */
  private endLine(): string | undefined {
    if (this.lineLength === 0) {
      if (this.contentLength === undefined) return 'a message header has no Content-Length';
      this.inBody = true;
      this.messageLength = this.bodyLeft = this.contentLength;
      this.bodyTail = Buffer.alloc(0);
      if (this.bodyLeft === 0) this.startHeader();
      return undefined;
    }
    if (!this.lineHasColon) return `a header line has no ":": ${this.lineExcerpt()}`;
    const text = this.line.toString('latin1', 0, this.lineLength);
    const colon = text.indexOf(':');
    const name = text.slice(0, colon).toLowerCase();
    const value = text.slice(colon + 1).trim();
    this.lineLength = 0;
    this.lineHasColon = false;
    if (name !== 'content-length') return undefined; // Content-Type, or an extension header: the reader's business
    if (this.contentLength !== undefined) return 'a message header has two Content-Length lines';
    if (!/^\d+$/.test(value)) return `Content-Length must be a byte count (decimal digits), got ${excerpt(Buffer.from(value, 'latin1'))}`;
    const length = Number(value);
    if (length > this.maxMessageBytes) {
      return `a message of ${value} bytes is over the limit of ${this.maxMessageBytes} bytes${inMiB(this.maxMessageBytes)} per message`;
    }
    this.contentLength = length;
    return undefined;
  }

  private scanBody(part: Buffer): string | undefined {
    for (let cr = part.indexOf(CR); cr !== -1; cr = part.indexOf(CR, cr + 1)) {
      const before = cr >= LOOKBACK_BYTES ? part.subarray(cr - LOOKBACK_BYTES, cr) : Buffer.concat([this.bodyTail, part.subarray(0, cr)]);
      const window = before.subarray(Math.max(0, before.length - LOOKBACK_BYTES)).toString('latin1');
      const at = window.search(SWALLOWED_HEADER);
      if (at !== -1) {
        return `a ${this.messageLength}-byte message holds the header of the next one (${excerpt(Buffer.from(window.slice(at), 'latin1'))}): its Content-Length is larger than the body that was sent`;
      }
    }
    const seen = part.length >= LOOKBACK_BYTES ? part : Buffer.concat([this.bodyTail, part]);
    this.bodyTail = Buffer.from(seen.subarray(Math.max(0, seen.length - LOOKBACK_BYTES)));
    return undefined;
  }

  private startHeader(): void {
    this.inBody = false;
    this.headerBytes = 0;
    this.contentLength = undefined;
    this.lineLength = 0;
    this.lineHasColon = false;
    this.afterCR = false;
  }

  private lineExcerpt(next?: number): string {
    const bytes = Buffer.from(this.line.subarray(0, this.lineLength));
    return excerpt(next === undefined ? bytes : Buffer.concat([bytes, Buffer.of(next)]));
  }
}

/** A short, escaped quote of offending bytes: never the whole of what the client sent. */
function excerpt(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function inMiB(bytes: number): string {
  return bytes >= 1024 * 1024 ? ` (${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB)` : '';
}

/** RFC 9110's tchar: the bytes a header name may hold. */
function isTokenByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    "!#$%&'*+-.^_`|~".includes(String.fromCharCode(byte))
  );
}
