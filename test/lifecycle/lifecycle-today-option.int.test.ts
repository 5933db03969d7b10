/**
 * `--today` of the lifecycle commands is a day `YYYY-MM-DD`: anything else is a usage error naming
 * the option and the value (exit 2), not a listing "as of 2026-3-1" that judged no day at all.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { licbridge } from '../support/cli.js';

const CONFIG = `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: "test-lifecycle-today" }
catalog: ./catalog
sources:
  market-food: { kind: sqlite, path: ./legacy.db }
pipelines:
  food:
    source: market-food
    stream: { table: T, key: ID, cursor: GXSJ }
    mapping: ./mapping.yaml
    licenseType: 11370200MB1234567X001
    issuer: { name: 发证机关, code: 11370211MB1234567X }
    areaCode: "370211"
    signer: seal
    targets: [province]
signers:
  seal: { kind: local-sm2, key: "\${file:./seal.key.pem}", sealId: "37021100001" }
targets:
  province: { kind: rest-json, url: "http://127.0.0.1:1", auth: { scheme: none } }
`;

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-lifecycle-today-'));
  await mkdir(join(dir, 'catalog'));
  await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  config = join(dir, 'licbridge.yaml');
  await writeFile(config, CONFIG);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lifecycle --today', () => {
  it.each([
    ['reminders', '2026-3-1'],
    ['reminders', '2026-02-30'],
    ['reminders', 'tomorrow'],
    ['run', '2026-13-01'],
  ])('lifecycle %s --today %s', async (command, value) => {
    const r = await licbridge(['lifecycle', command, '--today', value, '--config', config], {
      cwd: dir,
      timeoutMs: 30_000,
    });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--today');
    expect(r.stderr).toContain(`\`${value}\``);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.status).toBe(2);
  });
});
