export { loadModel, type LoadedModel, type LoadModelOptions } from './loadModel';
export { readModelFolder, selectOnnxFile, MODEL_DTYPES, DTYPE_FILES, type ModelDtype, type ModelFolder } from './model/modelFolder';
export { SUPPORTED_MODEL_TYPES, type ModelArchitecture } from './model/modelArchitecture';
export { createSession, DEVICE_REQUESTS, DEFAULT_SESSION_OPTIONS, type DeviceRequest, type SessionOptions, type ProviderAttempt } from './session/createSession';
export { OnnxCausalLM } from './onnx/OnnxCausalLM';
export { openOnnxModel } from './onnx/openOnnxModel';
export { WorkerLanguageModel } from './worker/WorkerLanguageModel';
export { HfTokenizer } from './tokenizer/HfTokenizer';
export { ChatTemplate, ChatMessagesSchema, type ChatMessage } from './tokenizer/ChatTemplate';
