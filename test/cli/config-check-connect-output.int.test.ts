// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * `config check --connect` reports a ledger it cannot reach as one located problem: the database
 * driver's own warning, with its stack trace, is not printed beside it (knex wrote it on stdout).
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { licbridge } from '../support/cli.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

const CONFIG = `ledger: { url: "postgres://licbridge:\${env:LEDGER_PASSWORD}@127.0.0.1:1/ledger" }
queue: { redis: "redis://127.0.0.1:6379", prefix: cfgcheck-key-mode }
catalog: ./catalog
sources:
  market-food: { kind: sqlite, path: ./legacy.db }
pipelines:
  food:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./mappings/food-business-license.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]
signers:
  district-seal:
    kind: local-sm2
    key: "\${file:./seal.key.pem}"
    sealId: "3702110000001"
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:9"
    auth: { scheme: none }
`;

describe('config check --connect and an unreachable ledger', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'licbridge-connect-'));
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
    await writeFile(join(dir, 'legacy.db'), '');
    await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    file = join(dir, 'licbridge.yaml');
    await writeFile(file, CONFIG);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is one located problem, without the driver warning or a stack trace', async () => {
    const r = await licbridge(['config', 'check', '--connect', file], {
      cwd: dir,
      env: { LEDGER_PASSWORD: 'Pw-0f-The-Ledger' },
    });
    expect(r.status).toBe(2);
    const line = CONFIG.split('\n').findIndex((l) => l.startsWith('ledger:')) + 1;
    expect(r.stderr).toMatch(
      new RegExp(`${file}:${line}:\\d+: ledger\\.url: ledger: not reachable: .*ECONNREFUSED`),
    );
    // stdout holds results only; the driver's warning went there, stack trace and all.
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('Acquire connection error');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('Pw-0f-The-Ledger');
  });
});
