/**
 * A long-running command (`worker`, `serve`, `simulator`) hears SIGTERM from the moment it says it
 * is ready. Each said so (`worker: started`, `listening on …`) one step before it listened for the
 * signal, so a supervisor or script that stopped it as soon as it read that line could find it not
 * listening yet: Node's default then ended it at once, exit by signal, its jobs left to their locks
 * and nothing closed. On a loaded machine that step took long enough for a test to fall into it.
 * Here the process signals itself while it writes the line (a write hook loaded with `--require`),
 * so it always falls into that step. Needs the built CLI.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { usageConfig } from '../support/usage-config.js';

const USAGE_PREFIX = 'test-signal-when-ready';

/** SIGTERM to itself, once, in the write that carries `LB_TEST_TERM_ON`: to stderr or stdout. */
const HOOK = `const fs = require('node:fs');
const marker = process.env.LB_TEST_TERM_ON;
let sent = false;
const term = (chunk) => {
  if (sent || !String(chunk).includes(marker)) return;
  sent = true;
  process.kill(process.pid, 'SIGTERM');
};
const writeSync = fs.writeSync;
fs.writeSync = function (fd, chunk, ...rest) {
  const n = writeSync.call(this, fd, chunk, ...rest);
  if (fd === 1 || fd === 2) term(chunk);
  return n;
};
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write;
  stream.write = function (chunk, ...rest) {
    const r = write.call(this, chunk, ...rest);
    term(chunk);
    return r;
  };
}
`;

interface Ended {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

async function runUntilEnded(dir: string, args: string[], marker: string): Promise<Ended> {
  const hook = join(dir, 'term-on-ready.cjs');
  await writeFile(hook, HOOK);
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_OPTIONS: `--require ${hook}`,
      LB_TEST_TERM_ON: marker,
      LICBRIDGE_LOG_LEVEL: 'info',
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const ended = new Promise<number | string | null>((r) =>
    child.once('close', (code, signal) => r(code ?? signal)),
  );
  const code = await Promise.race([
    ended,
    new Promise<'running'>((r) => setTimeout(() => r('running'), 40_000)),
  ]);
  if (code === 'running') child.kill('SIGKILL');
  return { code, stdout, stderr };
}

const messages = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => (JSON.parse(l) as { msg: string }).msg);

describe('a stop that comes as the command says it is ready', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
  });
  afterAll(async () => {
    await ws?.cleanup();
    // `serve` opens the queues of the usage config's prefix (their meta keys): nothing else removes them.
    await obliterate(USAGE_PREFIX);
  });

  it('`worker` stops as on any stop: `worker: stopped`, exit 0', async () => {
    const { code, stderr } = await runUntilEnded(
      ws.dir,
      ['worker', '--config', ws.configFile],
      '"msg":"worker: started"',
    );
    expect(code, stderr).toBe(0);
    const said = messages(stderr);
    expect(said).toContain('worker: started');
    expect(said).toContain('worker: stopped');
  }, 60_000);

  const made = usageConfig(USAGE_PREFIX, 'licbridge-signal-when-ready-');

  it('`serve` stops as on any stop: `serve: stopped`, exit 0', async () => {
    const { code, stdout, stderr } = await runUntilEnded(
      made.dir,
      ['serve', '--port', '0', '--config', made.file],
      'licbridge serve: listening',
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('licbridge serve: listening');
    expect(messages(stderr)).toContain('serve: stopped');
  }, 60_000);

  it('`simulator province` closes and exits 0', async () => {
    const port = await freePort();
    const file = join(made.dir, 'simulator.yaml');
    const text = await readFile(made.file, 'utf8');
    await writeFile(file, text.replace('http://127.0.0.1:1"', `http://127.0.0.1:${port}"`));
    const { code, stderr } = await runUntilEnded(
      made.dir,
      ['simulator', 'province', '--config', file],
      'province platform listening',
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`province platform listening at http://127.0.0.1:${port}`);
  }, 60_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
