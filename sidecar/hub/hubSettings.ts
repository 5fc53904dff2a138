import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InkwellError } from '../engine';
import { hfHome, hubCacheDir, hubOffline } from '../runtime/model/modelReference';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HubSettings {
  readonly endpoint: string;
  readonly cacheDir: string;
  readonly offline: boolean;
  /** Never printed, logged or put in an error message. */
  readonly accessToken: string | undefined;
}

/**
 * Where and how to reach the Hub, from the flags and then the variables huggingface_hub reads:
 * HF_ENDPOINT, HF_HUB_CACHE / HF_HOME, HF_HUB_OFFLINE, HF_TOKEN (else the token file that
 * `hf auth login` writes, HF_TOKEN_PATH or HF_HOME/token).
 */
export function readHubSettings(flags: { endpoint?: string; cacheDir?: string }, env: NodeJS.ProcessEnv = process.env): HubSettings {
  const endpointText = flags.endpoint ?? env.HF_ENDPOINT ?? DEFAULT_ENDPOINT;
  const source = flags.endpoint !== undefined ? '--endpoint' : env.HF_ENDPOINT !== undefined ? 'HF_ENDPOINT' : 'the default endpoint';
  let endpoint: URL;
  try {
    endpoint = new URL(endpointText);
  } catch {
    throw new InkwellError('invalid-argument', `${source} "${endpointText}" is not a URL (e.g. https://huggingface.co)`, { details: { field: 'endpoint', value: endpointText } });
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new InkwellError('invalid-argument', `${source} "${endpointText}" must be an http or https URL`, { details: { field: 'endpoint', value: endpointText } });
  }
  const accessToken = readToken(env);
  if (accessToken !== undefined && !accessToken.startsWith('hf_')) {
    throw new InkwellError('invalid-argument', 'HF_TOKEN is set but is not a Hugging Face access token (those start with "hf_")', { details: { field: 'HF_TOKEN' } });
  }
  return {
    endpoint: endpointText.replace(/\/+$/, ''),
    cacheDir: flags.cacheDir ?? hubCacheDir(env),
    offline: hubOffline(env),
    accessToken,
  };
}

function readToken(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN;
  if (fromEnv) return fromEnv.trim();
  try {
    const text = readFileSync(env.HF_TOKEN_PATH || join(hfHome(env), 'token'), 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
