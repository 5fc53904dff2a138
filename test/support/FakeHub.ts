/**
 * A local stand-in for the Hugging Face Hub's file API, as @huggingface/hub and huggingface_hub
 * use it. A mock, and only because the real Hub cannot be reached from our machines (development
 * and CI reach npm, PyPI and Debian only): test/hub/provePythonClient.py runs the real
 * huggingface_hub client against this server to show it answers as the Hub does.
 *
 * What it speaks:
 *   GET  /api/models/{org}/{name}[/revision/{rev}]            model info (sha, siblings, …)
 *   GET  /api/models/{org}/{name}/tree/{rev}[/{path}]?recursive  file list, paged by a Link header
 *   POST /api/models/{org}/{name}/paths-info/{rev}             info for given paths
 *   GET|HEAD /{org}/{name}/resolve/{rev}/{path}                small files: 200 with ETag = git blob
 *       id; LFS files (*.onnx, *.onnx_data, > 64 KB): 302 to /cdn/{sha256} on a second port (another
 *       origin, as the Hub's CDN is: clients read the metadata off the redirect and send no token
 *       there) with X-Linked-Etag, X-Linked-Size; both with X-Repo-Commit; Range honoured (206)
 *   401 for a private repo without its token; 404 with X-Error-Code RepoNotFound /
 *   RevisionNotFound / EntryNotFound.
 * Faults are queued per test: an HTTP status, a connection dropped after N bytes, a corrupted body.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface FakeRepoFile {
  readonly path: string;
  readonly content: Buffer;
  readonly oid: string;
  readonly lfs?: { readonly sha256: string };
}

export interface FakeRepo {
  readonly repoId: string;
  readonly commit: string;
  readonly files: readonly FakeRepoFile[];
  /** Branch and tag names → commit (main always). */
  readonly refs: Readonly<Record<string, string>>;
  /** Needs `Authorization: Bearer <token>`. */
  readonly token?: string;
}

export interface Fault {
  /** Which requests: matched against "METHOD /path" (query string included). */
  readonly match: RegExp;
  readonly status?: number;
  /** Send this many body bytes, then destroy the socket. */
  readonly dropAfterBytes?: number;
  /**
   * Send this many body bytes and hold the connection until dropStalled(): a test drops it once
   * the client has written them (a web stream that errors discards chunks not yet read, so an
   * immediate drop would leave a partial file of any length).
   */
  readonly stallAfterBytes?: number;
  /** Flip one byte of the body. */
  readonly corrupt?: boolean;
  /** Also hit @huggingface/hub's `Range: bytes=0-0` probes (default: only real transfers). */
  readonly probes?: boolean;
  /** How many requests it hits (default 1). */
  times?: number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly range: string | undefined;
  readonly authorized: boolean;
}

const LFS_THRESHOLD = 64 * 1024;
const TREE_PAGE = 4;

export function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A repo serving the files of a model folder on disk (as `git lfs` would store them). */
export function repoFromFolder(repoId: string, dir: string, options: { commit?: string; extraRefs?: Record<string, string>; token?: string; extraFiles?: Record<string, Buffer> } = {}): FakeRepo {
  const files: FakeRepoFile[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(repoFile(relative(dir, path).split(sep).join('/'), readFileSync(path)));
    }
  };
  walk(dir);
  for (const [path, content] of Object.entries(options.extraFiles ?? {})) files.push(repoFile(path, content));
  const commit = options.commit ?? createHash('sha1').update(repoId).update(files.map((f) => f.oid).join()).digest('hex');
  return { repoId, commit, files, refs: { main: commit, ...options.extraRefs }, ...(options.token && { token: options.token }) };
}

export function repoFile(path: string, content: Buffer): FakeRepoFile {
  const lfs = path.endsWith('.onnx') || path.includes('.onnx_data') || content.length > LFS_THRESHOLD;
  // For an LFS file git stores a pointer; its blob id is what the tree API gives as oid.
  const pointer = Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(content)}\nsize ${content.length}\n`);
  return { path, content, oid: gitBlobId(lfs ? pointer : content), ...(lfs && { lfs: { sha256: sha256(content) } }) };
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export class FakeHub {
  readonly requests: LoggedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly stalled: ServerResponse[] = [];
  private readonly repos = new Map<string, FakeRepo>();
  private server: Server | undefined;
  private cdn: Server | undefined;
  private origin = '';
  private cdnOrigin = '';

  constructor(repos: readonly FakeRepo[]) {
    for (const repo of repos) this.repos.set(repo.repoId, repo);
  }

  get url(): string {
    return this.origin;
  }

  async start(): Promise<this> {
    const listen = async () => {
      const server = createServer((req, res) => this.handle(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    };
    ({ server: this.server, origin: this.origin } = await listen());
    ({ server: this.cdn, origin: this.cdnOrigin } = await listen());
    return this;
  }

  async stop(): Promise<void> {
    for (const server of [this.server, this.cdn]) {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    }
  }

  /** Drops every connection held by a stallAfterBytes fault. */
  dropStalled(): void {
    for (const res of this.stalled.splice(0)) res.socket?.destroy();
  }

  addFault(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Requests for file bytes (resolve GETs of small files and CDN GETs), in order. */
  contentRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && (r.url.startsWith('/cdn/') || r.url.includes('/resolve/')) && r.range !== 'bytes=0-0');
  }

  private takeFault(line: string, probe: boolean): Fault | undefined {
    const fault = this.faults.find((f) => (f.times ?? 0) > 0 && f.match.test(line) && (!probe || f.probes));
    if (fault) fault.times = (fault.times ?? 1) - 1;
    return fault;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const range = req.headers.range;
      this.requests.push({ method: req.method ?? 'GET', url, range: typeof range === 'string' ? range : undefined, authorized: req.headers.authorization !== undefined });
      const fault = this.takeFault(`${req.method} ${url}`, range === 'bytes=0-0');
      if (fault?.status) return json(res, fault.status, { error: `injected ${fault.status}` });
      try {
        this.route(req, res, url, Buffer.concat(chunks), fault);
      } catch (error) {
        json(res, 500, { error: String(error) });
      }
    });
  }

  private route(req: IncomingMessage, res: ServerResponse, url: string, body: Buffer, fault: Fault | undefined): void {
    const { pathname, searchParams } = new URL(url, this.origin);
    const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    if (parts[0] === 'cdn') return this.serveCdn(req, res, parts[1]!, fault);
    if (parts[0] === 'api' && parts[1] === 'models') {
      const repo = this.repoFor(req, res, `${parts[2]}/${parts[3]}`);
      if (!repo) return;
      const [kind, ...rest] = parts.slice(4);
      if (kind === undefined) return this.modelInfo(res, repo, repo.commit);
      const commit = this.commitFor(res, repo, kind === 'revision' || kind === 'tree' || kind === 'paths-info' ? rest[0] : undefined);
      if (!commit) return;
      if (kind === 'revision') return this.modelInfo(res, repo, commit);
      if (kind === 'tree') return this.tree(res, repo, commit, rest.slice(1).join('/'), searchParams);
      if (kind === 'paths-info' && req.method === 'POST') {
        // @huggingface/hub posts JSON, huggingface_hub a form (paths=a&paths=b): the Hub takes both.
        const form = !(req.headers['content-type'] ?? '').includes('json');
        const paths = new Set<string>(form ? new URLSearchParams(body.toString()).getAll('paths') : ((JSON.parse(body.toString() || '{}') as { paths?: string[] }).paths ?? []));
        return json(res, 200, repo.files.filter((f) => paths.has(f.path)).map((f) => treeEntry(f, commit)));
      }
      return json(res, 404, { error: 'unknown API route' });
    }
    // /{org}/{name}/resolve/{rev}/{path…}
    if (parts[2] === 'resolve') {
      const repo = this.repoFor(req, res, `${parts[0]}/${parts[1]}`);
      if (!repo) return;
      const commit = this.commitFor(res, repo, parts[3]);
      if (!commit) return;
      const path = parts.slice(4).join('/');
      const file = repo.files.find((f) => f.path === path);
      if (!file) return json(res, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound', 'X-Repo-Commit': commit });
      const headers = { 'X-Repo-Commit': commit, 'Accept-Ranges': 'bytes' };
      if (file.lfs) {
        const location = `${this.cdnOrigin}/cdn/${file.lfs.sha256}`;
        res.writeHead(302, {
          ...headers,
          Location: location,
          ETag: `"${file.oid}"`,
          'X-Linked-Etag': `"${file.lfs.sha256}"`,
          'X-Linked-Size': String(file.content.length),
          'Content-Length': '0',
        });
        return void res.end();
      }
      return sendBytes(req, res, file.content, { ...headers, ETag: `"${file.oid}"` }, fault, this.stalled);
    }
    json(res, 404, { error: 'not found' });
  }

  private serveCdn(req: IncomingMessage, res: ServerResponse, sha: string, fault: Fault | undefined): void {
    for (const repo of this.repos.values()) {
      const file = repo.files.find((f) => f.lfs?.sha256 === sha);
      if (file) return sendBytes(req, res, file.content, { ETag: `"${sha}"`, 'Accept-Ranges': 'bytes' }, fault, this.stalled);
    }
    json(res, 404, { error: 'no such object' });
  }

  private repoFor(req: IncomingMessage, res: ServerResponse, repoId: string): FakeRepo | undefined {
    const repo = this.repos.get(repoId);
    if (repo?.token !== undefined && req.headers.authorization !== `Bearer ${repo.token}`) {
      json(res, 401, { error: 'Invalid credentials in Authorization header' }, { 'X-Error-Code': 'GatedRepo' });
      return undefined;
    }
    if (!repo) {
      json(res, 404, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' });
      return undefined;
    }
    return repo;
  }

  private commitFor(res: ServerResponse, repo: FakeRepo, revision: string | undefined): string | undefined {
    const rev = revision === undefined || revision === 'HEAD' ? 'main' : revision;
    const commit = /^[0-9a-f]{40}$/.test(rev) ? (rev === repo.commit ? rev : undefined) : repo.refs[rev];
    if (!commit) json(res, 404, { error: `Invalid rev id: ${rev}` }, { 'X-Error-Code': 'RevisionNotFound' });
    return commit;
  }

  private modelInfo(res: ServerResponse, repo: FakeRepo, commit: string): void {
    json(res, 200, {
      _id: `fake-${repo.repoId}`,
      id: repo.repoId,
      modelId: repo.repoId,
      author: repo.repoId.split('/')[0],
      sha: commit,
      private: repo.token !== undefined,
      gated: false,
      disabled: false,
      downloads: 0,
      likes: 0,
      tags: ['onnx', 'text-generation'],
      pipeline_tag: 'text-generation',
      library_name: 'transformers.js',
      createdAt: '2026-01-01T00:00:00.000Z',
      lastModified: '2026-01-02T00:00:00.000Z',
      siblings: repo.files.map((f) => ({ rfilename: f.path })),
      usedStorage: repo.files.reduce((s, f) => s + f.content.length, 0),
    });
  }

  private tree(res: ServerResponse, repo: FakeRepo, commit: string, under: string, query: URLSearchParams): void {
    const recursive = query.get('recursive') === 'true';
    const prefix = under === '' ? '' : `${under}/`;
    const entries = new Map<string, object>();
    for (const file of repo.files) {
      if (!file.path.startsWith(prefix)) continue;
      const rest = file.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        const dir = prefix + rest.slice(0, slash);
        if (!entries.has(dir)) entries.set(dir, { type: 'directory', oid: gitBlobId(Buffer.from(dir)), size: 0, path: dir });
        if (!recursive) continue;
      }
      entries.set(file.path, treeEntry(file, commit));
    }
    const all = [...entries.values()];
    // Paged like the Hub (which pages at 1,000): a cursor in the query, the next page in a Link header.
    const start = Number(query.get('cursor') ?? 0);
    const page = all.slice(start, start + TREE_PAGE);
    const headers: Record<string, string> = {};
    if (start + TREE_PAGE < all.length) {
      const next = new URL(`${this.origin}/api/models/${repo.repoId}/tree/${commit}${under ? `/${under}` : ''}`);
      for (const [k, v] of query) if (k !== 'cursor') next.searchParams.set(k, v);
      next.searchParams.set('cursor', String(start + TREE_PAGE));
      headers.Link = `<${next.href}>; rel="next"`;
    }
    json(res, 200, page, headers);
  }
}

function treeEntry(file: FakeRepoFile, commit: string): object {
  return {
    type: 'file',
    oid: file.oid,
    size: file.content.length,
    path: file.path,
    ...(file.lfs && { lfs: { oid: file.lfs.sha256, size: file.content.length, pointerSize: 134 } }),
    lastCommit: { id: commit, title: 'Upload', date: '2026-01-02T00:00:00.000Z' },
  };
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(body.length), ...headers });
  res.end(body);
}

/** 200 with the whole body, or 206 for `Range: bytes=a-[b]`; HEAD gets the headers only. Faults cut or corrupt the body. */
function sendBytes(req: IncomingMessage, res: ServerResponse, content: Buffer, headers: Record<string, string>, fault: Fault | undefined, stalled: ServerResponse[]): void {
  let body = content;
  let status = 200;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = range[2] === '' ? content.length - 1 : Math.min(Number(range[2]), content.length - 1);
    if (start >= content.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${content.length}` });
      return void res.end();
    }
    body = content.subarray(start, end + 1);
    status = 206;
    headers = { ...headers, 'Content-Range': `bytes ${start}-${end}/${content.length}` };
  }
  res.writeHead(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length), ...headers });
  if (req.method === 'HEAD') return void res.end();
  if (fault?.corrupt) {
    body = Buffer.from(body);
    body[body.length >> 1] ^= 0xff;
  }
  if (fault?.stallAfterBytes !== undefined) {
    res.write(body.subarray(0, fault.stallAfterBytes));
    stalled.push(res);
    return;
  }
  if (fault?.dropAfterBytes !== undefined) {
    res.write(body.subarray(0, fault.dropAfterBytes), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}
