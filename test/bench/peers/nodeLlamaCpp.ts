/**
 * llama.cpp through node-llama-cpp, the peer the bench compares with. It is not a dependency of
 * the product or of `npm test`: `test/bench/peers/setup.sh` installs it under
 * test/bench/peers/.work/node, and this file loads it from there (ESM, by absolute URL). Only the
 * few calls the bench makes are typed here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PEERS_WORK = join(__dirname, '.work');
const ENTRY = join(PEERS_WORK, 'node', 'node_modules', 'node-llama-cpp', 'dist', 'index.js');

export interface LlamaSequence {
  readonly nextTokenIndex: number;
  readonly contextTokens: number[];
  clearHistory(): Promise<void>;
  adaptStateToTokens(tokens: number[], allowShift?: boolean): Promise<void>;
  evaluate(tokens: number[], options?: { temperature?: number }): AsyncGenerator<number, void, void | number | number[]>;
  evaluateWithoutGeneratingNewTokens(tokens: number[]): Promise<void>;
}
export interface LlamaContext {
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}
export interface LlamaModel {
  createContext(options: { contextSize: number; threads: number; batchSize?: number; sequences?: number; flashAttention?: boolean }): Promise<LlamaContext>;
  readonly tokens: { readonly eos: number | null };
  dispose(): Promise<void>;
}
export interface Llama {
  loadModel(options: { modelPath: string; gpuLayers?: number }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}
interface NodeLlamaCpp {
  getLlama(options: Record<string, unknown>): Promise<Llama>;
}

export function nodeLlamaCppInstalled(): boolean {
  return existsSync(ENTRY);
}

/** CPU only, prebuilt binaries only (never a download or a build), llama.cpp's own logs off. */
export async function loadLlamaCpp(threads: number): Promise<Llama> {
  if (!nodeLlamaCppInstalled()) throw new Error(`node-llama-cpp is not installed (${ENTRY}): run bash test/bench/peers/setup.sh`);
  const { getLlama } = (await import(pathToFileURL(ENTRY).href)) as NodeLlamaCpp;
  return getLlama({ gpu: false, build: 'never', skipDownload: true, usePrebuiltBinaries: true, maxThreads: threads, logLevel: 'error', progressLogs: false });
}
