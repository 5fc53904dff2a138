import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * The fetch the Hub client and the downloads use. Node 20's global fetch ignores the proxy
 * variables; with HTTPS_PROXY / HTTP_PROXY set (and NO_PROXY honoured, as curl and
 * huggingface_hub's requests do), requests go through undici's EnvHttpProxyAgent, the proxy
 * support of the library Node's own fetch is built on. Without them: the global fetch, unchanged.
 */
export function hubFetch(env: NodeJS.ProcessEnv = process.env): typeof fetch {
  if (!PROXY_VARIABLES.some((name) => (env[name] ?? '') !== '')) return fetch;
  const agent = new EnvHttpProxyAgent({
    ...(env.HTTP_PROXY || env.http_proxy ? { httpProxy: env.HTTP_PROXY || env.http_proxy } : {}),
    ...(env.HTTPS_PROXY || env.https_proxy ? { httpsProxy: env.HTTPS_PROXY || env.https_proxy } : {}),
    ...(env.NO_PROXY || env.no_proxy ? { noProxy: env.NO_PROXY || env.no_proxy } : {}),
  });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch;
}
