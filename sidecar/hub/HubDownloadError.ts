/**
 * A download that failed on the way, not because of what was asked: the Hub answered 5xx, the
 * connection dropped more often than we retry, a file did not match its hash. The CLI exits 1
 * with the message (bad input is an InkwellError and exits 2).
 */
export class HubDownloadError extends Error {
  override readonly name = 'HubDownloadError' as const;
  constructor(
    readonly reason: 'server-error' | 'unreachable' | 'interrupted' | 'corrupt' | 'bad-response',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  static is(value: unknown): value is HubDownloadError {
    return value instanceof Error && value.name === 'HubDownloadError';
  }
}
