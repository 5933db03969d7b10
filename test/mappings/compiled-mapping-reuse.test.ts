/**
 * compileMapping compiled a mapping file again for every run a process made (each run's runtime,
 * a scheduler's every tick), parsing its YAML twice each time. The same text with dictionaries
 * that read the same is now compiled once per process; any byte changed in the mapping or in a
 * dictionary, a dictionary gone, or options given compile again, and a failed compile keeps nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMapping } from '../../mappings/compile.js';
import { CACHED_MAPPINGS } from '../../mappings/compiled-mappings.js';

const mappingText = (status: string) =>
  [
    'dictionaries:',
    '  zt: { file: ./zt.csv }',
    'fields:',
    '  status: { from: ZT, lookup: zt }',
    `  holder.idType: { const: "${status}" }`,
    '',
  ].join('\n');

const row = { key: 'k1', values: { ZT: '1' } };

describe('compileMapping in one process', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mapping-reuse-'));
    file = join(dir, 'm.yaml');
    writeFileSync(file, mappingText('001'));
    writeFileSync(join(dir, 'zt.csv'), 'code,value\n1,valid\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const statusOf = (m: Awaited<ReturnType<typeof compileMapping>>) => {
    const out = m.map(row.values);
    return out.ok ? [out.fields.status, out.fields.holder?.idType] : out.reasons.map((r) => r.code);
  };

  it('reuses the mapping compiled from the same text and dictionaries', async () => {
    const first = await compileMapping(file);
    expect(await compileMapping(file)).toBe(first);
    expect(statusOf(first)).toEqual(['valid', '001']);
  });

  it('compiles again when one byte of the mapping changed', async () => {
    const first = await compileMapping(file);
    writeFileSync(file, mappingText('099'));
    const second = await compileMapping(file);
    expect(second).not.toBe(first);
    expect(statusOf(second)).toEqual(['valid', '099']);
    expect(second.version).not.toBe(first.version);
  });

  it('compiles again when a dictionary changed, and when it is gone', async () => {
    const first = await compileMapping(file);
    writeFileSync(join(dir, 'zt.csv'), 'code,value\n1,revoked\n');
    const second = await compileMapping(file);
    expect(second).not.toBe(first);
    expect(statusOf(second)).toEqual(['revoked', '001']);
    rmSync(join(dir, 'zt.csv'));
    const error = await compileMapping(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('zt.csv');
  });

  it('fails again, the same way, for a mapping that failed, and compiles it once mended', async () => {
    writeFileSync(file, mappingText('001').replace('lookup: zt', 'lookup: nope'));
    const a = await compileMapping(file).catch((e: unknown) => (e as Error).message);
    const b = await compileMapping(file).catch((e: unknown) => (e as Error).message);
    expect(a).toContain('nope');
    expect(b).toBe(a);
    writeFileSync(file, mappingText('001'));
    expect(statusOf(await compileMapping(file))).toEqual(['valid', '001']);
  });

  it('does not share one text between two files, nor a compile given options', async () => {
    const other = join(dir, 'n.yaml');
    writeFileSync(other, mappingText('001'));
    const a = await compileMapping(file);
    const b = await compileMapping(other);
    expect(b).not.toBe(a);
    expect(b.file).toBe(other);
    const withFields = await compileMapping(file, { sourceFields: ['ZT'] });
    expect(withFields).not.toBe(a);
    expect(await compileMapping(file, { sourceFields: ['ZT'] })).not.toBe(withFields);
  });

  it(`keeps at most ${CACHED_MAPPINGS} mappings, the least recently used going first`, async () => {
    const first = await compileMapping(file);
    for (let i = 0; i < CACHED_MAPPINGS; i++) {
      const f = join(dir, `other-${i}.yaml`);
      writeFileSync(f, mappingText('001'));
      await compileMapping(f);
    }
    expect(await compileMapping(file)).not.toBe(first);
  });
});
