/**
 * The one error type of Inkwell. `code` is stable (tests, the CLI and later the JSON-RPC layer
 * switch on it); `message` is for people and names the field, the value and the allowed range.
 */
export type InkwellErrorCode =
  | 'invalid-config' // a generation config field is out of range or of the wrong type
  | 'invalid-argument' // a CLI flag or API argument is wrong
  | 'model-not-found' // a model folder or one of its files is missing
  | 'model-invalid' // a model folder is there but unusable (unknown model_type, bad graph, corrupt file)
  | 'tokenizer-invalid' // tokenizer files missing fields or inconsistent with the model
  | 'provider-unavailable' // no requested execution provider could create a session
  | 'runtime-failure' // onnxruntime failed while running a step
  | 'worker-crashed' // the model worker thread exited
  | 'transport-invalid'; // the client's byte stream broke LSP's framing, or a message was over the size limit

export class InkwellError extends Error {
  override readonly name = 'InkwellError' as const;
  readonly code: InkwellErrorCode;
  /** Extra machine-readable context: the field path, the file, the allowed range … */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: InkwellErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }

  static is(value: unknown): value is InkwellError {
    return value instanceof InkwellError || (value instanceof Error && value.name === 'InkwellError');
  }
}

/** Cancellation is not an error: callers test for it and do not log it as a failure. */
export function isAbortError(value: unknown): boolean {
  return value instanceof Error && value.name === 'AbortError';
}

/** The error an aborted model call rejects with (the DOM convention: name 'AbortError'). */
export function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}
