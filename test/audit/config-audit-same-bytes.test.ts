/**
 * The config audit digests the same files again and again (a mapping before and after every
 * compile, the config file for every record) and keeps what it made of a file's bytes while the
 * file reads the same. A file changed in between, even to the same size, is read as it now is: a
 * mapping naming another dictionary, a dictionary's new rows, a config file's new reference.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import { configDigest, mappingParts } from '../../pipelines/config-audit.js';

const configText = (secretRef: string) => `ledger: { url: "sqlite://./data/ledger.db" }
catalog: ./catalog
sources:
  market: { kind: sqlite, path: ./data/legacy.db }
pipelines:
  food:
    source: market
    stream: { table: T_XKZ, key: ID, cursor: GXSJ }
    mapping: ./food.yaml
    licenseType: 11370200MB12345674001
    issuer: { name: 测试市场监督管理局, code: 11370211MB12345672 }
    areaCode: "370211"
    signer: seal
    targets: [province]
signers:
  seal: { kind: local-sm2, key: "\${file:./seal.key.pem}", workers: 1, sealId: "3702110000001" }
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:9/"
    auth: { scheme: hmac, appKey: test-app, secret: "\${env:${secretRef}}" }
`;

const mappingText = (table: string) =>
  `dictionaries:\n  zt: { file: ./${table} }\nfields:\n  status: { from: ZT, lookup: zt }\n`;

describe('config audit: a file changed between two digests is digested as it now is', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-audit-same-bytes-'));
    await writeFile(join(dir, 'za.yaml'), '"1": valid\n');
    await writeFile(join(dir, 'zb.yaml'), '"1": revoked\n');
    await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const parts = async () =>
    mappingParts(
      await loadConfig({ file: join(dir, 'licbridge.yaml'), env: { LB_A: 'Zq7Kp', LB_B: 'Zq7Kp' } }),
      join(dir, 'food.yaml'),
    );

  it('a mapping edited to name another dictionary (same size) has that dictionary’s part', async () => {
    await writeFile(join(dir, 'licbridge.yaml'), configText('LB_A'));
    await writeFile(join(dir, 'food.yaml'), mappingText('za.yaml'));
    const first = await parts();
    expect(Object.keys(first)).toEqual(['mapping:food.yaml', 'dictionary:za.yaml']);
    expect(await parts()).toEqual(first);

    await writeFile(join(dir, 'food.yaml'), mappingText('zb.yaml'));
    const second = await parts();
    expect(Object.keys(second)).toEqual(['mapping:food.yaml', 'dictionary:zb.yaml']);
    expect(second['mapping:food.yaml']).not.toBe(first['mapping:food.yaml']);
  });

  it('a dictionary edited between two digests has a new part', async () => {
    await writeFile(join(dir, 'food.yaml'), mappingText('za.yaml'));
    const first = await parts();
    await writeFile(join(dir, 'za.yaml'), '"1": valid\n"2": revoked\n');
    const second = await parts();
    expect(second['mapping:food.yaml']).toBe(first['mapping:food.yaml']);
    expect(second['dictionary:za.yaml']).not.toBe(first['dictionary:za.yaml']);
  });

  it('a config file edited to another reference (same size, same value) has a new part', async () => {
    const file = join(dir, 'licbridge.yaml');
    const env = { LB_A: 'Zq7Kp', LB_B: 'Zq7Kp' };
    await writeFile(file, configText('LB_A'));
    const first = await configDigest(await loadConfig({ file, env }));
    expect(await configDigest(await loadConfig({ file, env }))).toEqual(first);

    // The loaded config is the same (both references read `Zq7Kp`): only the file as written differs.
    await writeFile(file, configText('LB_B'));
    const second = await configDigest(await loadConfig({ file, env }));
    expect(second.parts['target:province']).not.toBe(first.parts['target:province']);
    expect(second.digest).not.toBe(first.digest);
  });
});
