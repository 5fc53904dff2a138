import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The layering the READMEs promise, checked on every import specifier in the source tree:
 * the engine is pure TypeScript, only the runtime touches onnxruntime, nothing in sidecar/ sees
 * vscode, and the extension never reaches into the engine or runtime.
 */
const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specs.map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Where a specifier lands: a repo-relative folder for relative imports, else the package name. */
function target(file: string, spec: string): string {
  if (spec.startsWith('.')) return relative(root, resolve(dirname(file), spec));
  return spec;
}

const RULES: { folder: string; allowed: (t: string) => boolean; why: string }[] = [
  {
    folder: 'sidecar/engine',
    allowed: (t) => t.startsWith('sidecar/engine/') || t === 'zod',
    why: 'the engine is pure TypeScript: only engine files and zod',
  },
  {
    folder: 'sidecar/completion',
    allowed: (t) => t.startsWith('sidecar/completion/') || t === 'sidecar/engine',
    why: 'inline completion (prompt, FIM, shaping, the loop) runs on the engine alone, so the server and the model evaluation share it',
  },
  {
    folder: 'sidecar/runtime',
    // tsx/cjs: only when the worker is started from the TypeScript sources (tests), never in dist/.
    allowed: (t) => t.startsWith('sidecar/runtime/') || t === 'sidecar/engine' || t === 'sidecar/protocol/chatMessage' || t.startsWith('node:') || ['onnxruntime-node', '@huggingface/tokenizers', '@huggingface/jinja', 'zod', 'tsx/cjs'].includes(t),
    why: 'the runtime may use the engine, onnxruntime-node, tokenizers, jinja, zod, node built-ins and the protocol\'s ChatMessage (what a chat template renders)',
  },
  {
    folder: 'sidecar/builder',
    allowed: (t) => t.startsWith('sidecar/builder/') || t === 'sidecar/engine' || t.startsWith('node:') || t === 'onnx-proto',
    why: 'the builder writes files with onnx-proto; it never runs models (no onnxruntime, no runtime)',
  },
  {
    folder: 'sidecar/hub',
    allowed: (t) => ['sidecar/hub/', 'sidecar/engine', 'sidecar/runtime/model/', 'sidecar/protocol/downloadEvents', 'sidecar/protocol/formatBytes'].some((p) => t.startsWith(p)) || t.startsWith('node:') || ['@huggingface/hub', 'undici'].includes(t),
    why: 'the Hub downloader uses @huggingface/hub (undici for proxies), the engine\'s errors, the runtime\'s model-folder rules and the download event contract; it never loads a model',
  },
  {
    folder: 'sidecar/cli',
    allowed: (t) => t.startsWith('sidecar/') || t.startsWith('node:') || t === 'vscode-languageserver/node',
    why: 'the CLI composes the sidecar folders (serve starts the server on stdio)',
  },
  {
    folder: 'sidecar/protocol',
    allowed: (t) => t.startsWith('sidecar/protocol/') || t === 'vscode-languageserver-protocol' || t === 'zod',
    why: 'the protocol is the shared contract: only its own files, vscode-languageserver-protocol and zod',
  },
  {
    folder: 'sidecar/server',
    allowed: (t) =>
      ['sidecar/server/', 'sidecar/engine', 'sidecar/runtime', 'sidecar/protocol', 'sidecar/completion/'].some((p) => t.startsWith(p)) ||
      t.startsWith('node:') || ['vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-textdocument', 'zod'].includes(t),
    why: 'the server wires the engine and runtime to the LSP connection',
  },
  {
    folder: 'extension',
    allowed: (t) => t.startsWith('extension/') || t.startsWith('sidecar/protocol') || t.startsWith('media/') || t.startsWith('node:') || ['vscode', 'vscode-languageclient', 'vscode-languageclient/node', 'zod'].includes(t),
    why: 'the extension sees vscode, the language client and the protocol, never the engine or runtime',
  },
  {
    folder: 'media',
    allowed: (t) => t.startsWith('media/') || t.startsWith('sidecar/protocol'),
    why: 'webview code runs in a browser sandbox: no Node, no vscode',
  },
];

describe('import boundaries', () => {
  for (const rule of RULES) {
    it(`${rule.folder}: ${rule.why}`, () => {
      const bad: string[] = [];
      for (const file of sourceFiles(join(root, rule.folder))) {
        for (const spec of imports(file)) {
          if (!rule.allowed(target(file, spec))) bad.push(`${relative(root, file)} imports ${spec}`);
        }
      }
      assert.deepEqual(bad, []);
    });
  }

  it('nothing under sidecar/ imports vscode', () => {
    const bad = sourceFiles(join(root, 'sidecar')).flatMap((f) => imports(f).filter((s) => s === 'vscode' || s.startsWith('vscode-languageclient')).map((s) => `${relative(root, f)} imports ${s}`));
    assert.deepEqual(bad, []);
  });

  it('outside the engine, the engine is imported through sidecar/engine/index.ts only', () => {
    const bad: string[] = [];
    for (const folder of ['sidecar/runtime', 'sidecar/completion', 'sidecar/server', 'sidecar/cli', 'sidecar/hub', 'sidecar/builder', 'sidecar/protocol']) {
      for (const file of sourceFiles(join(root, folder))) {
        for (const spec of imports(file)) {
          const t = target(file, spec);
          if (t.startsWith('sidecar/engine/') && t !== 'sidecar/engine/index') bad.push(`${relative(root, file)} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the checker sees real imports (it is not vacuous)', () => {
    const found = imports(join(root, 'sidecar', 'runtime', 'onnx', 'OnnxCausalLM.ts'));
    assert.ok(found.includes('onnxruntime-node'));
    assert.ok(found.some((s) => target(join(root, 'sidecar', 'runtime', 'onnx', 'OnnxCausalLM.ts'), s) === 'sidecar/engine'));
  });
});
