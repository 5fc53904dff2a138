/** Public API of the model builder: model folders, 4-bit quantization, the reference forward pass. */
export { resolveDecoderSpec, decoderSpecFromHfConfig } from './DecoderSpec';
export type { DecoderSpec, DecoderSpecInput, DecoderModelType } from './DecoderSpec';
export { makeModel, ONNX_FILES } from './makeModel';
export type { MakeModelOptions, MadeModel, ModelDtype, TokenizerFiles } from './makeModel';
export { hfConfigJson, generationConfigJson, transformersJsConfig } from './hfConfigFiles';
export type { SpecialTokenIds } from './hfConfigFiles';
export { buildDecoderGraph, DIMS } from './graph/buildDecoderGraph';
export type { DecoderGraphOptions } from './graph/buildDecoderGraph';
export { quantizeModel } from './quantize/quantizeModel';
export type { QuantizeModelOptions, QuantizeModelResult } from './quantize/quantizeModel';
export { quantizeMatMuls } from './quantize/quantizeMatMuls';
export type { MatMulQuantization } from './quantize/quantizeMatMuls';
export { quantizeBlockwise4, dequantizeBlockwise4 } from './quantize/quantizeBlockwise4';
export type { Blockwise4 } from './quantize/quantizeBlockwise4';
export { decoderParameters } from './weights/WeightSource';
export type { WeightSource, ParameterInfo } from './weights/WeightSource';
export { RandomWeightSource } from './weights/RandomWeightSource';
export { SafetensorsWeightSource, writeSafetensors } from './weights/SafetensorsWeightSource';
export { ReferenceDecoder } from './reference/ReferenceDecoder';
export { ReferenceGpt2Decoder, positionsFromMask } from './reference/ReferenceGpt2Decoder';
export type { ReferenceCache, ReferenceInputs, ReferenceOutputs } from './reference/ReferenceDecoder';
export { inspectOnnx } from './onnx/inspectOnnx';
export { splitExternalData } from './onnx/splitExternalData';
export type { SplitModel } from './onnx/splitExternalData';
export type { OnnxSummary } from './onnx/inspectOnnx';
// The byte-level BPE trainer (owned by the tokenizer helper):
export * from "./tokenizer/index";
export { makeDevModel, type MakeDevModelOptions } from "./makeDevModel";
