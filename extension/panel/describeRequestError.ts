import { z } from 'zod';
import type { FieldError } from '../../media/panel/messages';
import { isCancelledCode } from '../../sidecar/protocol';

const responseErrorShape = z.object({
  code: z.number(),
  message: z.string(),
  data: z.unknown().optional(),
});
const errorData = z.object({
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  code: z.string().optional(),
  details: z.object({ field: z.string().optional() }).loose().optional(),
});

export interface RequestFailure {
  readonly message: string;
  readonly fieldErrors: readonly FieldError[];
  readonly cancelled: boolean;
}

/**
 * What the panel shows for a failed sidecar request. An invalid config comes back as
 * InvalidParams with data.issues [{ path: "generation.temperature", message }] (or as
 * data.code 'invalid-config' with data.details.field); each becomes an error under that field,
 * keyed by its HF name.
 */
export function describeRequestError(error: unknown): RequestFailure {
  const response = responseErrorShape.safeParse(error);
  if (!response.success) {
    const message = error instanceof Error ? error.message : String(error);
    return { message, fieldErrors: [], cancelled: error instanceof Error && error.name === 'Canceled' };
  }
  const { code, message } = response.data;
  const data = errorData.safeParse(response.data.data);
  const fieldErrors: FieldError[] = [];
  if (data.success) {
    for (const issue of data.data.issues ?? []) {
      const field = fieldOfPath(issue.path) ?? data.data.details?.field;
      if (field !== undefined) fieldErrors.push({ field, message: issue.message });
    }
    const field = data.data.details?.field;
    if (fieldErrors.length === 0 && data.data.code === 'invalid-config' && field !== undefined) fieldErrors.push({ field, message });
  }
  return { message, fieldErrors, cancelled: isCancelledCode(code) };
}

/** "generation.temperature" → "temperature"; "config.stop_strings.0" → "stop_strings"; "generation" → undefined. */
export function fieldOfPath(path: string): string | undefined {
  const parts = path.split('.').filter((p) => p !== '');
  const rest = parts[0] === 'generation' || parts[0] === 'config' ? parts.slice(1) : parts;
  return rest[0];
}
