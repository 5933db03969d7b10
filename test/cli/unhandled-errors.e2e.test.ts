/**
 * A rejection nothing awaited, or an exception nothing caught, would be printed by Node whole:
 * an HTTP client's error with its request headers (Authorization) and the body it sent (holder
 * data). The CLI reports it as every other failure (cli/errors.ts reportError) and exits non-zero.
 * The failure is raised from a module preloaded into the built CLI, at its first write to stdout:
 * the command is then running, as a library's stray callback would be.
 */

import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/cli.js';

const TOKEN = 'Bearer tok-Zq8rT2vLk9XmB4nW';
const HOLDER = '欧阳秀英';
const RESIDENT_ID = '11010519491231002X';

/** A preload that fails the way `how` says once the command first writes to stdout. */
const preload = (how: 'rejection' | 'exception'): string => `
const error = Object.assign(new Error('Request failed with status code 500'), {
  isAxiosError: true,
  config: { headers: { Authorization: ${JSON.stringify(TOKEN)} }, data: ${JSON.stringify(JSON.stringify({ czzt: HOLDER, czztdm: RESIDENT_ID }))} },
});
const write = process.stdout.write.bind(process.stdout);
let fired = false;
process.stdout.write = (...args) => {
  if (!fired) {
    fired = true;
    ${how === 'rejection' ? 'Promise.reject(error);' : 'setImmediate(() => { throw error; });'}
  }
  return write(...args);
};
`;

function run(preloadFile: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', preloadFile, BIN, 'check', 'uscc', '91350100M000100Y43'],
      { cwd: ROOT, env: { ...process.env, LICBRIDGE_DEBUG: '' } },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('an error no code handled', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-unhandled-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['rejection', 'exception'] as const)(
    'an unhandled %s is reported as licbridge reports failures, without its fields, and exits 1',
    async (how) => {
      const file = join(dir, `${how}.mjs`);
      await writeFile(file, preload(how));
      const { status, stderr } = await run(file);
      expect(stderr).toContain('licbridge: unexpected failure: Request failed with status code 500');
      for (const value of ['tok-Zq8rT2vLk9XmB4nW', 'Authorization', HOLDER, RESIDENT_ID])
        expect(stderr).not.toContain(value);
      expect(status).toBe(1);
    },
  );
});
