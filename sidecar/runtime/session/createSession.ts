import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import '../onnx/disableOrtTelemetry';
import * as ort from 'onnxruntime-node';
import { InkwellError } from '../../engine';

// Provider probing (no CUDA libraries, no GPU adapter) makes onnxruntime log errors of its own;
// the failures are reported through ProviderAttempt instead.
ort.env.logLevel = 'fatal';

export type DeviceRequest = 'auto' | 'cuda' | 'webgpu' | 'cpu';
export const DEVICE_REQUESTS: readonly DeviceRequest[] = ['auto', 'cuda', 'webgpu', 'cpu'];
type Provider = Exclude<DeviceRequest, 'auto'>;

export interface SessionOptions {
  readonly device: DeviceRequest;
  /** Intra-op threads; 0 lets onnxruntime choose (one per core). */
  readonly threads: number;
  readonly optimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { device: 'auto', threads: 0, optimizationLevel: 'all' };

export interface ProviderAttempt {
  readonly provider: Provider;
  readonly ok: boolean;
  /** Why it failed (first line of onnxruntime's message). */
  readonly error?: string;
  readonly ms: number;
}

export interface CreatedSession {
  readonly session: ort.InferenceSession;
  readonly provider: Provider;
  readonly attempts: readonly ProviderAttempt[];
}

/** Failures that mean "this file is not a loadable model" rather than "this provider is unavailable". */
function isModelFileError(message: string): boolean {
  return /protobuf parsing failed|Load model from .* failed|ModelProto|is not a valid|Invalid model|external data|External initializer|GetExtDataFromTensorProto|Deserialize tensor|No such file/i.test(message);
}

/**
 * onnxruntime-node has no automatic fallback between execution providers (asking for
 * ['webgpu','cpu'] throws when there is no adapter), so 'auto' tries cuda, then webgpu, then cpu,
 * creating a fresh session each time and recording why each one failed.
 */
export async function createSession(modelPath: string, options: SessionOptions): Promise<CreatedSession> {
  const order: Provider[] = options.device === 'auto' ? ['cuda', 'webgpu', 'cpu'] : [options.device];
  const attempts: ProviderAttempt[] = [];
  for (const provider of order) {
    const started = performance.now();
    const missing = options.device === 'auto' ? missingSystemLibrary(provider) : undefined;
    if (missing) {
      attempts.push({ provider, ok: false, error: missing, ms: 0 });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: options.optimizationLevel,
        ...(options.threads > 0 ? { intraOpNumThreads: options.threads } : {}),
        logSeverityLevel: 3,
      });
      attempts.push({ provider, ok: true, ms: performance.now() - started });
      return { session, provider, attempts };
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      if (isModelFileError(message)) {
        const dataFile = `${modelPath}_data`;
        const files = existsSync(dataFile) ? `${modelPath} (with ${basename(dataFile)})` : modelPath;
        throw new InkwellError('model-invalid', `${files} could not be loaded (corrupt or truncated ONNX file?): ${firstLine(message)}`, {
          cause,
          details: { file: modelPath },
        });
      }
      const hint =
        provider === 'cuda' && /shared library/i.test(message)
          ? " (onnxruntime-node's CUDA provider libraries are not installed: they come from its install script's CUDA download, which needs CUDA 12 and cuDNN on the machine)"
          : '';
      attempts.push({ provider, ok: false, error: `${firstLine(message)}${hint}`, ms: performance.now() - started });
    }
  }
  const why = attempts.map((a) => `${a.provider}: ${a.error}`).join('; ');
  throw new InkwellError('provider-unavailable', `no execution provider could run ${modelPath} (${why})`, {
    details: { attempts, file: modelPath },
  });
}

/**
 * WebGPU on Linux runs on Vulkan: without libvulkan.so.1 the probe can only fail, and Dawn prints
 * a warning to stderr on its way. 'auto' skips it with the reason; an explicit 'webgpu' still tries.
 */
function missingSystemLibrary(provider: Provider): string | undefined {
  if (provider !== 'webgpu' || process.platform !== 'linux') return undefined;
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib64', '/lib', '/usr/local/lib',
  ];
  return dirs.some((d) => existsSync(join(d, 'libvulkan.so.1'))) ? undefined : 'libvulkan.so.1 not found (WebGPU on Linux needs the Vulkan loader, e.g. the libvulkan1 package)';
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
