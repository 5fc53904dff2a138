import { z } from 'zod';
import { InkwellError } from '../../engine';

/** The model folder's own file for what Hugging Face's files have no field for. */
export const INKWELL_JSON_FILE = 'inkwell.json';

/**
 * `inkwell.json`, optional in a model folder: how the model was trained, where the standard
 * files cannot say it. Today one thing: the fill-in-the-middle order the model completes in
 * (`fim.order`: "psm", prefix-suffix-middle, what the FIM markers imply by default; or "spm",
 * suffix-prefix-middle in the form of Bavarian et al. 2022, `<PRE><SUF>suffix<MID>prefix`).
 * Unknown keys are refused, so a misspelt field is an error instead of silently ignored.
 */
const inkwellJsonSchema = z
  .object({
    fim: z.object({ order: z.enum(['psm', 'spm']) }).strict().optional(),
  })
  .strict();

export type InkwellJson = z.infer<typeof inkwellJsonSchema>;

/** Checks a parsed inkwell.json; the error names the file, the field and what it allows. */
export function parseInkwellJson(value: unknown, file: string): InkwellJson {
  const parsed = inkwellJsonSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  // A misspelt key explains a missing one: report unknown keys first.
  const issues = parsed.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k].join('.')) : [];
  const field = keys.length > 0 ? keys.join(', ') : issue.path.join('.') || '(root)';
  const allowed = issue.code === 'unrecognized_keys' ? 'unknown field; allowed: fim.order' : issue.code === 'invalid_value' ? `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : issue.message;
  throw new InkwellError('model-invalid', `${file}: field ${field}: ${allowed}`.slice(0, 400), { details: { file, field } });
}
