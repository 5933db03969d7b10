import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge, ROOT } from './preview-spawn.js';

const EXAMPLE = join(ROOT, 'examples', 'west-coast');

describe('licbridge test', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-maptest-'));
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("passes on the demo department's mapping tests", async () => {
    const r = await licbridge(['test', join(dir, 'mappings')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✓ a clean row becomes a valid license');
    expect(r.stdout).toMatch(/\n\d+ passed, 0 failed in 1 file\(s\)\n$/);
  });

  it('exits 1 and says what differs when a case fails', async () => {
    const text = await readFile(join(dir, 'mappings', 'food-business-license.test.yaml'), 'utf8');
    const broken = text
      .replace('fields: { status: revoked }', 'fields: { status: suspended }')
      .replace('failures: [LB_MAP_CHARSET]', 'failures: [LB_MAP_DATE]');
    await writeFile(
      join(dir, 'mappings', 'wrong.test.yaml'),
      broken.replace('./food-business-license.yaml', './food-business-license.yaml'),
    );
    const r = await licbridge(['test', join(dir, 'mappings', 'wrong.test.yaml')]);
    expect(r.status).toBe(1);
    const line = broken.split('\n').findIndex((l) => l.includes('name: status codes map')) + 1;
    expect(r.stdout).toContain(`✗ status codes map onto the canonical enum (line ${line})`);
    expect(r.stdout).toContain('status: expected "suspended", got "revoked"');
    expect(r.stdout).toContain('got LB_MAP_CHARSET at holder.name');
    expect(r.stdout).toMatch(/11 passed, 2 failed/);
    const json = await licbridge(['test', '--json', join(dir, 'mappings', 'wrong.test.yaml')]);
    expect(JSON.parse(json.stdout)).toMatchObject({ files: 1, passed: 11, failed: 2, broken: 0 });
    await rm(join(dir, 'mappings', 'wrong.test.yaml'));
  });

  it('exits 2 with file:line for a test file that does not compile', async () => {
    const file = join(dir, 'mappings', 'bad.test.yaml');
    await writeFile(
      file,
      'mapping: ./food-business-license.yaml\ncases:\n  - name: x\n    rwo: {}\n    expect: { fields: {} }\n',
    );
    const r = await licbridge(['test', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/bad\.test\.yaml:4:5: .*unknown key `rwo`/);
    await rm(file);
  });
});
