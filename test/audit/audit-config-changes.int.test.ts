/**
 * The configuration in force, in the audit chain: a process that acts records a `config` entry
 * when it starts with a configuration whose digest differs from the last one recorded, naming
 * each part's digest. An unchanged configuration records nothing, two processes starting at once
 * record it once, a secret read through a reference is neither in the chain nor in a digest, and
 * the chain still verifies.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { configDigest, recordConfigChange } from '../../pipelines/config-audit.js';
import { configChangeList } from '../../pipelines/config-audit-list.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/west-coast');
const MAPPING = 'mappings/food-business-license.yaml';

function configText(ledgerUrl: string): string {
  return `ledger:
  url: "${ledgerUrl}"
catalog: ./catalog
sources:
  market-food:
    kind: sqlite
    path: ./legacy.db
pipelines:
  food:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ./${MAPPING}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    areaCode: "370211"
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
    url: "http://127.0.0.1:7801"
    auth:
      scheme: hmac
      appKey: west-coast-test
      secret: "\${env:LB_TEST_PROVINCE_SECRET}"
`;
}

describe.each(BACKENDS)('configuration changes in the audit chain ($name)', (backend) => {
  let dir: string;
  let db: TestDatabase;
  let ledger: Ledger;
  const load = (secret: string) =>
    loadConfig({ file: join(dir, 'licbridge.yaml'), env: { LB_TEST_PROVINCE_SECRET: secret } });
  const record = (config: Readonly<Config>, on: Ledger = ledger) =>
    recordConfigChange(config, on.configChanges, quietLogger);

  beforeEach(async () => {
    vi.stubEnv('LICBRIDGE_ACTOR', 'auditor-7');
    dir = await mkdtemp(join(tmpdir(), 'lb-config-audit-'));
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
    await writeFile(join(dir, 'seal.key.pem'), `k${randomBytes(2).toString('hex')}\n`);
    await chmod(join(dir, 'seal.key.pem'), 0o600);
    db = await backend.create();
    await writeFile(join(dir, 'licbridge.yaml'), configText(db.url));
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await ledger?.close();
    await db?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('records the first configuration once, and nothing while it is unchanged', async () => {
    const config = await load('Zq7');
    expect(await record(config)).toBe(true);
    expect(await record(config)).toBe(false);
    expect(await record(await load('Zq7'))).toBe(false);

    const [entry, ...more] = await ledger.configChanges.list();
    expect(more).toEqual([]);
    const parts = JSON.parse(entry?.detail ?? '{}') as Record<string, string>;
    expect(Object.keys(parts).sort()).toEqual([
      'calendar',
      'catalog:food-business-license.yaml',
      'lifecycle',
      `mapping:${MAPPING}`,
      'pipeline:food',
      'signer:district-seal',
      'source:market-food',
      'target:province',
    ]);
    expect(entry).toMatchObject({ action: 'config', actor: 'operator:auditor-7', licenseId: null });
    expect(entry?.digest).toBe((await configDigest(config)).digest);
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true, entries: 1 });
  });

  it('a changed mapping file is one entry naming that part alone', async () => {
    await record(await load('Zq7'));
    await appendFile(join(dir, MAPPING), '# a rule changed\n');
    const changed = await load('Zq7');
    expect(await record(changed)).toBe(true);
    expect(await record(changed)).toBe(false);

    const list = await configChangeList(changed, quietLogger);
    expect(list.map((e) => ({ added: e.added.length, changed: e.changed, removed: e.removed }))).toEqual([
      { added: 8, changed: [], removed: [] },
      { added: 0, changed: [`mapping:${MAPPING}`], removed: [] },
    ]);
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true, entries: 2 });
  });

  it('two processes starting at once with a new configuration record it once', async () => {
    const other = await openLedger(db.url, { logger: quietLogger });
    try {
      const config = await load('Zq7');
      const recorded = await Promise.all([record(config), record(config, other), record(config)]);
      expect(recorded.filter(Boolean)).toHaveLength(1);
      expect(await ledger.configChanges.list()).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('hashes a secret’s reference, never its value, and the chain holds neither', async () => {
    // A short secret: its SM3 would be found by trying every three-character text.
    const first = await load('Zq7');
    const rotated = await load('W4x');
    expect(await configDigest(rotated)).toEqual(await configDigest(first));
    await record(first);
    expect(await record(rotated)).toBe(false);

    const key = (await readFile(join(dir, 'seal.key.pem'), 'utf8')).trim();
    const text = JSON.stringify(await ledger.readAudit({}));
    expect(text).not.toContain('Zq7');
    expect(text).not.toContain(key);
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true, entries: 1 });
  });

  it('a secret written in the file, or a URL’s password, counts as [secret]', async () => {
    const file = join(dir, 'licbridge.yaml');
    const inline = async (secret: string) => {
      const text = configText(db.url)
        .replace(/"\$\{env:LB_TEST_PROVINCE_SECRET\}"/, secret)
        .replace('http://127.0.0.1:7801', `http://lb:${secret}@127.0.0.1:7801`);
      await writeFile(file, text);
      return configDigest(await loadConfig({ file, env: {} }));
    };
    const first = await inline('Zq7');
    const second = await inline('W4x');
    expect(second.parts['target:province']).toBe(first.parts['target:province']);
    expect(second.digest).toBe(first.digest);
  });

  it('a URL’s password or a secret written beside a reference counts as [secret]', async () => {
    // The reference elsewhere in the value (the host, the secret's second half) must not let the
    // literal text written with it into the digest.
    const file = join(dir, 'licbridge.yaml');
    const mixed = async (secret: string) => {
      const text = configText(db.url)
        .replace(/"\$\{env:LB_TEST_PROVINCE_SECRET\}"/, `"${secret}-\${env:LB_TEST_PROVINCE_SECRET}"`)
        .replace('http://127.0.0.1:7801', `http://lb:${secret}@\${env:LB_TEST_HOST}:7801`);
      await writeFile(file, text);
      return configDigest(
        await loadConfig({ file, env: { LB_TEST_PROVINCE_SECRET: 'Zq7', LB_TEST_HOST: '127.0.0.1' } }),
      );
    };
    const first = await mixed('Zq7');
    const second = await mixed('W4x');
    expect(second.parts['target:province']).toBe(first.parts['target:province']);
    expect(second.digest).toBe(first.digest);
  });

  it('a secret in a URL’s query (access_token=…) counts as [secret], its other parameters as written', async () => {
    const file = join(dir, 'licbridge.yaml');
    const withQuery = async (query: string) => {
      await writeFile(
        file,
        configText(db.url).replace('http://127.0.0.1:7801', `http://127.0.0.1:7801/api?${query}`),
      );
      return (await configDigest(await loadConfig({ file, env: { LB_TEST_PROVINCE_SECRET: 'Zq7' } }))).parts[
        'target:province'
      ];
    };
    const first = await withQuery('tenant=3702&access_token=Zq7');
    expect(await withQuery('tenant=3702&access_token=W4x')).toBe(first);
    expect(await withQuery('tenant=3702&App-Secret=Zq7')).toBe(await withQuery('tenant=3702&App-Secret=W4x'));
    // A parameter that is no secret is a change like any other value of the file.
    expect(await withQuery('tenant=3703&access_token=Zq7')).not.toBe(first);
  });

  it('a secret’s env reference counts without its default (NAME:-default)', async () => {
    const file = join(dir, 'licbridge.yaml');
    const withDefault = (secret: string) =>
      writeFile(
        file,
        configText(db.url).replace('LB_TEST_PROVINCE_SECRET}', `LB_TEST_PROVINCE_SECRET:-${secret}}`),
      );
    await withDefault('Zq7');
    const first = await configDigest(await loadConfig({ file, env: {} }));
    await withDefault('W4x');
    const second = await configDigest(await loadConfig({ file, env: {} }));
    expect(second.parts['target:province']).toBe(first.parts['target:province']);
  });
});
