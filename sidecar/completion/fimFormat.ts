import type { TextTokenizer } from '../engine';

/**
 * A fill-in-the-middle prompt convention, detected from the marker tokens a tokenizer knows.
 *
 * A template is a list of pieces: marker tokens (always inserted as ids, never by encoding their
 * text), fixed literal text (encoded once), and the two slots. PSM (prefix, suffix, middle) is
 * the order every supported family was trained on; SPM is listed for the families whose
 * training also used it (StarCoder, CodeLlama), in the form their papers give, and for any family
 * whose model folder declares it (inkwell.json `fim.order`), in the StarCoder form.
 */
export type FimPiece =
  | { readonly kind: 'token'; readonly id: number }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'prefix' }
  | { readonly kind: 'suffix' };

export type FimOrder = 'psm' | 'spm';

export type FimFamily = 'qwen' | 'starcoder' | 'codellama' | 'deepseek';

export interface FimFormat {
  readonly family: FimFamily;
  readonly prefixId: number;
  readonly suffixId: number;
  readonly middleId: number;
  readonly psm: readonly FimPiece[];
  /** Undefined where neither the family nor the model folder says it was trained on suffix-first prompts. */
  readonly spm: readonly FimPiece[] | undefined;
  /** The order completions use: what the model folder declares, else PSM. */
  readonly order: FimOrder;
  /**
   * Ids that end a completion besides the model's EOS: end-of-text / end-of-infill markers, the
   * file and repository separators (the model has moved on to another file), and the family's own
   * FIM markers (a model that emits one has lost track of the hole).
   */
  readonly stopTokenIds: readonly number[];
  /** Every marker text of the family the vocabulary holds: user text must never turn into these ids. */
  readonly reservedTexts: readonly string[];
}

interface FamilySpec {
  readonly family: FimFamily;
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
  /** Stop markers, used when the vocabulary has them. */
  readonly stops: readonly string[];
  readonly psm: (p: number, s: number, m: number) => FimPiece[];
  readonly spm?: (p: number, s: number, m: number) => FimPiece[];
}

const tok = (id: number): FimPiece => ({ kind: 'token', id });
const text = (t: string): FimPiece => ({ kind: 'text', text: t });
const PREFIX: FimPiece = { kind: 'prefix' };
const SUFFIX: FimPiece = { kind: 'suffix' };

/** Bavarian et al. 2022's SPM form (StarCoder's): <PRE><SUF>suffix<MID>prefix, for a model that declares SPM. */
const starcoderSpm = (p: number, s: number, m: number): FimPiece[] => [tok(p), tok(s), SUFFIX, tok(m), PREFIX];

/** Checked in this order; the first family whose three markers all exist wins. */
const FAMILIES: readonly FamilySpec[] = [
  {
    family: 'qwen',
    prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>',
    stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|repo_name|>'],
    psm: (p, s, m) => [tok(p), PREFIX, tok(s), SUFFIX, tok(m)],
  },
  {
    family: 'starcoder',
    prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>',
    stops: ['<|endoftext|>', '<fim_pad>', '<file_sep>', '<filename>', '<reponame>'],
    psm: (p, s, m) => [tok(p), PREFIX, tok(s), SUFFIX, tok(m)],
    // Bavarian et al. 2022, as StarCoder was trained.
    spm: starcoderSpm,
  },
  {
    family: 'codellama',
    prefix: '<PRE>', suffix: '<SUF>', middle: '<MID>',
    stops: ['<EOT>'],
    psm: (p, s, m) => [tok(p), text(' '), PREFIX, text(' '), tok(s), SUFFIX, text(' '), tok(m)],
    // Rozière et al. 2023: <PRE> <SUF>{suffix} <MID> {prefix}.
    spm: (p, s, m) => [tok(p), text(' '), tok(s), SUFFIX, text(' '), tok(m), text(' '), PREFIX],
  },
  {
    family: 'deepseek',
    prefix: '<｜fim▁begin｜>', suffix: '<｜fim▁hole｜>', middle: '<｜fim▁end｜>',
    stops: ['<｜end▁of▁sentence｜>', '<|EOT|>'],
    psm: (p, s, m) => [tok(p), PREFIX, tok(s), SUFFIX, tok(m)],
  },
];

/**
 * The FIM convention of a tokenizer, or undefined when it has no complete set of FIM markers
 * (completion is then prefix-only). Lookups go through `tokenToId`, which finds added tokens
 * whether or not tokenizer.json flags them special (Qwen's FIM markers are not flagged).
 * `declaredOrder` is the model folder's `fim.order` (inkwell.json): a model trained on SPM
 * prompts gets them whatever its markers, in its family's SPM form or else StarCoder's.
 */
export function fimFormat(tokenizer: Pick<TextTokenizer, 'tokenToId'>, declaredOrder?: FimOrder): FimFormat | undefined {
  for (const spec of FAMILIES) {
    const p = tokenizer.tokenToId(spec.prefix);
    const s = tokenizer.tokenToId(spec.suffix);
    const m = tokenizer.tokenToId(spec.middle);
    if (p === undefined || s === undefined || m === undefined) continue;
    const stopTexts = spec.stops.filter((t) => tokenizer.tokenToId(t) !== undefined);
    const stopTokenIds = [...new Set([...stopTexts.map((t) => tokenizer.tokenToId(t)!), p, s, m])];
    return {
      family: spec.family,
      prefixId: p,
      suffixId: s,
      middleId: m,
      psm: spec.psm(p, s, m),
      spm: (spec.spm ?? (declaredOrder === 'spm' ? starcoderSpm : undefined))?.(p, s, m),
      order: declaredOrder ?? 'psm',
      stopTokenIds,
      reservedTexts: [spec.prefix, spec.suffix, spec.middle, ...stopTexts],
    };
  }
  return undefined;
}
