import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCorpus, defaultCorpusLimits, type ManifestEntry } from '../../../../../models/pipeline/corpus/buildCorpus';
import { corpusCandidates } from '../../../../../models/pipeline/corpus/corpusSources';

/** A tiny machine: two node_modules packages (one GPL with a nested MIT one), a stdlib, a site-packages. */
function makeFixture(root: string): Record<string, string> {
  const put = (path: string, text: string): string => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  };
  const code = (name: string) => `export function ${name}(a: number, b: number): number {\n  return a + b; // ${name}\n}\n`;
  const files = {
    mitTs: put('nm/mit-pkg/src/add.ts', code('add')),
    mitJs: put('nm/mit-pkg/lib/sub.js', code('sub').replace(/: number/g, '')),
    mitMin: put('nm/mit-pkg/dist/add.min.js', code('min')),
    mitCopy: put('nm/mit-pkg/lib/addCopy.ts', code('add')),
    mitTiny: put('nm/mit-pkg/index.js', "module.exports = 1;\n"),
    mitJson: put('nm/mit-pkg/data.json', '{"a": 1}\n'),
    gplJs: put('nm/gpl-pkg/index.js', code('gpl')),
    nestedJs: put('nm/gpl-pkg/node_modules/inner/inner.js', code('inner')),
    scopedTs: put('nm/@scope/tool/tool.d.ts', code('tool').replace('{\n  return a + b; // tool\n}', ';')),
    innerPkgJson: put('nm/mit-pkg/esm/package.json', '{"type":"module"}'),
    innerEsm: put('nm/mit-pkg/esm/esm.js', code('esm')),
    stdlibOs: put('usr/lib/python3.11/os.py', 'def getcwd():\n    """Return the current directory."""\n    return "/"\n'),
    stdlibLocal: put('usr/lib/python3.11/local_hack.py', 'def hack():\n    """Not from any Debian package."""\n    return 42\n'),
    stdlibSite: put('usr/lib/python3.11/site-packages/x.py', 'def x():\n    """Installed package, not stdlib."""\n    return 1\n'),
    sitePkg: put('site/attrs/__init__.py', 'def define(cls):\n    """Class decorator."""\n    return cls\n'),
    siteGpl: put('site/gplmod.py', 'def gpl():\n    """A GPL module."""\n    return "copyleft"\n'),
    siteOrphan: put('site/orphan.py', 'def orphan():\n    """No distribution claims me."""\n    return None\n'),
    latin1: put('nm/mit-pkg/src/latin1.js', 'var s = "caf'),
  };
  writeFileSync(files.latin1, Buffer.concat([Buffer.from('// a comment long enough to pass the size limit\nvar s = "caf'), Buffer.from([0xe9]), Buffer.from('";\n')]));
  put('nm/mit-pkg/package.json', JSON.stringify({ name: 'mit-pkg', version: '1.2.3', license: 'MIT' }));
  put('nm/gpl-pkg/package.json', JSON.stringify({ name: 'gpl-pkg', version: '0.1.0', license: 'GPL-3.0-only' }));
  put('nm/gpl-pkg/node_modules/inner/package.json', JSON.stringify({ name: 'inner', version: '2.0.0', license: { type: 'ISC' } }));
  put('nm/@scope/tool/package.json', JSON.stringify({ name: '@scope/tool', version: '3.0.0', license: '(MIT OR Apache-2.0)' }));
  put('dpkg/libpython3.11-minimal:amd64.list', `/usr/lib/python3.11\n${files.stdlibOs}\n`);
  put('site/attrs-26.1.0.dist-info/METADATA', 'Metadata-Version: 2.4\nName: attrs\nVersion: 26.1.0\nLicense-Expression: MIT\n');
  put('site/attrs-26.1.0.dist-info/RECORD', 'attrs/__init__.py,sha256=x,10\n../../bin/attrs-cli,,\n');
  put('site/gplmod-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: gplmod\nVersion: 1.0\nClassifier: License :: OSI Approved :: GNU General Public License v3 (GPLv3)\n');
  put('site/gplmod-1.0.dist-info/RECORD', 'gplmod.py,,\n');
  return files;
}

describe('buildCorpus on a fixture tree', () => {
  let root: string;
  let files: Record<string, string>;
  const limits = { ...defaultCorpusLimits, minBytes: 30, heldOutBasisPoints: 0 };
  const run = (out: string) => {
    const unlicensed: string[] = [];
    const sources = { npmRoots: [join(root, 'nm')], pythonStdlibs: [join(root, 'usr/lib/python3.11')], pythonSites: [join(root, 'site')], dpkgInfo: join(root, 'dpkg') };
    const paths = { manifest: join(out, 'manifest.jsonl'), trainText: join(out, 'train.jsonl'), heldoutText: join(out, 'heldout.jsonl') };
    const summary = buildCorpus(corpusCandidates(sources, (p, why) => unlicensed.push(`${why}:${p}`)), paths, limits);
    const manifest = readFileSync(paths.manifest, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ManifestEntry);
    return { summary, manifest, unlicensed, paths };
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'inkwell-corpus-'));
    files = makeFixture(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps permissive code with its package, version and license, and drops the rest by reason', () => {
    const { summary, manifest, unlicensed } = run(join(root, 'out1'));
    const byPath = new Map(manifest.map((e) => [e.path, e]));
    const expectKept: [string, string, string, string][] = [
      // lib/addCopy.ts is walked before src/add.ts (sorted order), so the copy is the one kept.
      [files.mitCopy, 'npm:mit-pkg@1.2.3', 'MIT', 'typescript'],
      [files.mitJs, 'npm:mit-pkg@1.2.3', 'MIT', 'javascript'],
      [files.innerEsm, 'npm:mit-pkg@1.2.3', 'MIT', 'javascript'],
      [files.nestedJs, 'npm:inner@2.0.0', 'ISC', 'javascript'],
      [files.scopedTs, 'npm:@scope/tool@3.0.0', 'MIT', 'typescript'],
      [files.stdlibOs, 'debian libpython3.11-minimal/stdlib', 'Python-2.0', 'python'],
      [files.sitePkg, 'pypi:attrs@26.1.0', 'MIT', 'python'],
    ];
    assert.deepEqual([...byPath.keys()].sort(), expectKept.map((k) => k[0]).sort());
    for (const [path, origin, license, language] of expectKept) {
      const e = byPath.get(path)!;
      assert.deepEqual([e.origin, e.license, e.language, e.split, e.bytes], [origin, license, language, 'train', readFileSync(path).length], path);
    }
    assert.deepEqual(summary.dropped, {
      'minified-name': { files: 1, bytes: readFileSync(files.mitMin).length },
      'duplicate-exact': { files: 1, bytes: readFileSync(files.mitTs).length },
      'too-small': { files: 1, bytes: readFileSync(files.mitTiny).length },
      license: { files: 2, bytes: readFileSync(files.gplJs).length + readFileSync(files.siteGpl).length },
      'non-utf8': { files: 1, bytes: readFileSync(files.latin1).length },
    });
    assert.deepEqual(summary.droppedLicenses, { 'GPL-3.0-only': 1, 'GNU General Public License v3 (GPLv3)': 1 });
    assert.deepEqual(unlicensed.sort(), [`not-from-debian:${files.stdlibLocal}`, `unknown-license:${files.siteOrphan}`]);
  });

  it('writes each kept text exactly, and the same output on a second run', () => {
    const first = run(join(root, 'out2'));
    const second = run(join(root, 'out3'));
    for (const name of ['manifest.jsonl', 'train.jsonl', 'heldout.jsonl']) {
      assert.equal(readFileSync(join(root, 'out2', name), 'utf8'), readFileSync(join(root, 'out3', name), 'utf8'), name);
    }
    const texts = readFileSync(first.paths.trainText, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string });
    assert.deepEqual(texts.map((t) => t.id), first.manifest.map((e) => e.path));
    for (const t of texts) assert.equal(t.text, readFileSync(t.id, 'utf8'));
    assert.equal(second.summary.kept.files, 7);
  });

  it('caps bytes per package (not for the standard library) and per language', () => {
    const capped = buildCorpus(
      corpusCandidates({ npmRoots: [join(root, 'nm')], pythonStdlibs: [join(root, 'usr/lib/python3.11')], pythonSites: [], dpkgInfo: join(root, 'dpkg') }, () => {}),
      { manifest: join(root, 'out4', 'm.jsonl'), trainText: join(root, 'out4', 't.jsonl'), heldoutText: join(root, 'out4', 'h.jsonl') },
      { ...limits, originCapBytes: 100, languageBudgetBytes: { python: 1, typescript: 1e9, javascript: 1e9 } },
    );
    // mit-pkg has three ~70-byte files: one fits under 100 bytes; the stdlib file is uncapped by
    // origin but over the 1-byte Python budget.
    assert.equal(capped.dropped['origin-cap'].files, 2);
    assert.equal(capped.dropped['language-cap'].files, 1);
    assert.equal(capped.byLanguage.python, undefined);
  });
});
