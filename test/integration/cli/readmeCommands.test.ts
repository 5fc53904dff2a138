import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { smallModel } from '../../support/testModels';

const repoRoot = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The Neovim example's `cmd = { 'a', 'b', … }`, exactly as README writes it. */
function neovimCommand(): string[] {
  const lua = /```lua\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(lua, 'README has a lua block (the Neovim example)');
  const list = /cmd = \{([^}]*)\}/.exec(lua)?.[1];
  assert.ok(list, 'the Neovim example sets cmd');
  return [...list.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
}

/**
 * README's commands as a user runs them: after the one-time `npm link` the README asks for
 * (into a throwaway global prefix here, so the machine's own npm prefix is untouched), from a
 * folder outside the clone. `npx inkwell` from elsewhere asks the npm registry for a package of
 * that name instead of running ours.
 */
describe('README commands work as written, outside the clone', () => {
  let prefix: string;
  let elsewhere: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    prefix = mkdtempSync(join(tmpdir(), 'inkwell-prefix-'));
    elsewhere = mkdtempSync(join(tmpdir(), 'inkwell-elsewhere-'));
    assert.match(readme, /run `npm link` once in the clone/);
    const link = spawnSync('npm', ['link', '--no-audit', '--no-fund'], { cwd: repoRoot, env: { ...process.env, npm_config_prefix: prefix }, encoding: 'utf8' });
    assert.equal(link.status, 0, link.stderr);
    // What a user's shell has after `npm link`: npm's global bin folder on PATH. npm's prefix
    // itself stays the default, as on the user's machine.
    env = { ...process.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}`, npm_config_yes: 'false' };
  });
  after(() => {
    rmSync(prefix, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('`inkwell --help` runs our CLI', () => {
    const help = spawnSync('inkwell', ['--help'], { cwd: elsewhere, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(help.error, undefined);
    assert.match(help.stdout + help.stderr, /inkwell serve --stdio/);
  });

  it('the Neovim example starts the sidecar and answers initialize', async () => {
    const [command, ...args] = neovimCommand().map((part) => (part === '/path/to/model' ? smallModel() : part));
    const child = spawn(command!, args, { cwd: elsewhere, env, stdio: 'pipe' });
    const stderr: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    const exited = new Promise<string>((resolve) => {
      child.once('error', (error) => resolve(`failed to start: ${error.message}`));
      child.once('exit', (code) => resolve(`exited with ${code}`));
    });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.onNotification(() => undefined);
    connection.listen();
    try {
      const answer = connection.sendRequest<{ serverInfo?: { name: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      // A hang detector only (the answer takes well under a second here).
      const outcome = await Promise.race([
        answer.then((result) => result.serverInfo?.name),
        exited,
        new Promise<string>((resolve) => setTimeout(() => resolve('no answer in 60 s'), 60_000).unref()),
      ]);
      assert.equal(outcome, 'inkwell', `${[command, ...args].join(' ')}: ${outcome}\n${stderr.join('')}`);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
