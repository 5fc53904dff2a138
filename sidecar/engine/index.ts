/**
 * The engine's public API: pure TypeScript generation over the LanguageModel / TextTokenizer
 * seams. Nothing here imports onnxruntime, the file system or vscode.
 */
export { abortError, InkwellError, isAbortError, type InkwellErrorCode } from './InkwellError';
export { echoValue, shorten } from './echoValue';
export type { ForwardInput, ForwardOutput, KvCache, LanguageModel, ModelInfo } from './model/LanguageModel';
export type { TextTokenizer } from './model/TextTokenizer';

// Configuration
export type { DecodingMode, ExponentialDecayLengthPenalty, GenerationConfig, SequenceBias } from './config/GenerationConfig';
export { isBeamMode } from './config/deriveDecodingMode';
export { parseGenerationConfig, type ParsedGenerationConfig } from './config/parseGenerationConfig';
export { serializeGenerationConfig } from './config/serializeGenerationConfig';
export { mergeConfig } from './config/mergeConfig';
export { usableModelDefaults } from './config/usableModelDefaults';
export { configFieldInfo, type ConfigFieldInfo } from './config/configFieldInfo';
export { generationConfigSchema, type GenerationConfigKey } from './config/generationConfigSchema';
export { generationConfigFields, type ConfigField, type FieldForm, type FieldGroup, type FieldKind, type FieldRange } from './config/generationConfigFields';
export {
  parseWatermarkingConfig,
  watermarkingDefaults,
  type SeedingScheme,
  type WatermarkingConfig,
} from './config/WatermarkingConfig';

// Watermark (inkwell-wm-v1; watermark/README.md)
export {
  detectWatermark,
  type DetectionOptions,
  type TokenStatus,
  type WatermarkDetection,
  type WatermarkKey,
  type WatermarkVerdict,
} from './watermark/detectWatermark';
export { detectWatermarkInText, type TextWatermarkDetection, type TokenVerdict } from './watermark/detectWatermarkInText';
export { fmix32 } from './watermark/fmix32';
export { isGreen } from './watermark/isGreen';
export { greenThreshold } from './watermark/greenThreshold';
export { watermarkSeed } from './watermark/watermarkSeed';
export { normalUpperTail } from './math/normalUpperTail';

// Generation
export { generate } from './generation/generate';
export { GenerationRun } from './generation/GenerationRun';
export type { BeamSearchResult } from './generation/beam/runBeamSearch';
export { sequenceScoresOf } from './generation/beam/sequenceScoresOf';
export type { AssistantModel } from './generation/assisted/AssistantModel';
export type { AssistedStats } from './generation/assisted/AssistedStats';
export { checkSameVocabulary } from './generation/assisted/checkSameVocabulary';
export { checkPromptLength, maxPromptTokens } from './generation/checkPromptLength';
export { PromptCache, type PromptCacheLease } from './generation/PromptCache';
export type {
  GenerationEvent,
  GenerationRequest,
  GenerationResult,
  RunTimings,
  SequenceResult,
  SequenceTimings,
} from './generation/GenerationEvent';
export type { FinishReason } from './stopping/FinishReason';
export { systemClock, type Clock } from './stopping/Clock';

// Building blocks (for beam search, speculative decoding and benches to reuse)
export { ScoreRow } from './processors/ScoreRow';
export type { LogitsProcessor, ProcessorName, RowContext } from './processors/LogitsProcessor';
export { buildLogitsPipeline, type LogitsPipeline, type PipelineContext } from './processors/buildLogitsPipeline';
export type { AllowedTokens } from './processors/allowTokens';
export {
  distributionStages,
  type DistributionContext,
  type DistributionStage,
  type TokenDistribution,
} from './processors/distributionStages';
export { argmax } from './sampling/argmax';
export { sampleToken, TokenSampler } from './sampling/sampleToken';
export { logSoftmaxAt, rawLogSoftmaxAt } from './sampling/logSoftmaxAt';
export { Xoshiro128, randomSeed } from './sampling/Xoshiro128';
export { StopStringMatcher } from './stopping/StopStringMatcher';
export { IncrementalDetokenizer } from './streaming/IncrementalDetokenizer';
export { SequenceText } from './streaming/SequenceText';
