/**
 * A listed export file that cannot be read is named as the file it is, with the code a run acts
 * on: retried when it may read next time, never a bare system error.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileBytes } from '../../connectors/xml-files/files.js';
import { isLicbridgeError } from '../../core/errors.js';
import { tempFolder } from './xml-fixtures.js';

const folders: string[] = [];
const writers: ChildProcess[] = [];
afterAll(() => {
  for (const w of writers) w.kill();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('xml-files: a file that cannot be read', () => {
  it('is named as a file, retryable, when reading it fails (here: a folder took its name since the listing)', async () => {
    const dir = tempFolder();
    folders.push(dir);
    mkdirSync(join(dir, 'SPXK_1.xml'));
    const error = await readFileBytes('food', dir, 'SPXK_1.xml', 1_000_000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
    const e = error as Error & { code: string; retryable: boolean };
    expect(e.code).toBe('LB_SOURCE_UNREACHABLE');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('file SPXK_1.xml');
    expect(e.message).not.toMatch(/folder \S*SPXK_1\.xml/);
  });
});

describe('xml-files: a file growing while it is read', () => {
  it('is refused once past maxFileBytes, without being read to its end', async () => {
    const dir = tempFolder();
    folders.push(dir);
    // Stat says 0 bytes, and the writer never stops: read to its end, it filled memory.
    const path = join(dir, 'SPXK_1.xml');
    execFileSync('mkfifo', [path]);
    const writer = spawn('sh', ['-c', 'yes "<Record><ID>1</ID></Record>" > "$0"', path], { stdio: 'ignore' });
    writers.push(writer);
    const error = await readFileBytes('food', dir, 'SPXK_1.xml', 64 * 1024).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isLicbridgeError(error), 'a LicbridgeError').toBe(true);
    const e = error as Error & { code: string };
    expect(e.code).toBe('LB_SOURCE_SCHEMA');
    expect(e.message).toMatch(/file SPXK_1\.xml grew past `maxFileBytes` 65536 while it was read/);
  }, 10_000);
});
