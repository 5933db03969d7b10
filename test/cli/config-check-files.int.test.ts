/**
 * `config check` checks what it can without a database or a platform: a missing mapping file, a
 * mapping that does not compile, a catalog entry that fails, a mapped field the entry lacks and a
 * seal key its certificate does not certify — each located file:line:col, exit 2.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { licbridge } from '../support/cli.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

function configYaml(o: { catalog: string; keyFile: string; pipelines: Record<string, string> }): string {
  const pipelines = Object.entries(o.pipelines)
    .map(
      ([name, mapping]) => `  ${name}:
    source: market-food
    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }
    mapping: ${mapping}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]`,
    )
    .join('\n');
  return `ledger: { url: "sqlite://./data/ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: cfgcheck }
catalog: ${o.catalog}
sources:
  market-food: { kind: sqlite, path: ./data/legacy.db }
pipelines:
${pipelines}
signers:
  district-seal:
    kind: local-sm2
    keyFile: ${o.keyFile}
    certificate: ${o.keyFile.replace(/[^/]+$/, 'cert.pem')}
    sealId: "3702110000001"
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:9"
    # Read through a reference: a secret written inline is warned of (config-check-inline-secret).
    auth: { scheme: hmac, appKey: test-app, secret: "\${env:CFGCHECK_SECRET:-test-secret}" }
`;
}

const lineOf = (text: string, needle: string): number =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('config check without a database or a platform', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'licbridge-cfgcheck-'));
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'bad-catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
    const entry = await readFile(join(dir, 'catalog', 'food-business-license.yaml'), 'utf8');
    await writeFile(
      join(dir, 'bad-catalog', 'food-business-license.yaml'),
      entry.replace('holderCategory: legal-person', 'holderCategory: company'),
    );
    const mapping = await readFile(join(dir, 'mappings', 'food-business-license.yaml'), 'utf8');
    await writeFile(
      join(dir, 'mappings', 'broken.yaml'),
      mapping.replace('[trim, halfWidth, upper]', '[trim, shout]'),
    );
    await writeFile(
      join(dir, 'mappings', 'extra-field.yaml'),
      mapping.replace('  surface.premises:', '  surface.openingHours: { from: YYSJ }\n  surface.premises:'),
    );
    // Kept beside the license, in no catalog entry: a predecessor (the demo's has one), an operation, a contact.
    await writeFile(
      join(dir, 'mappings', 'beside.yaml'),
      mapping.replace(
        '  surface.premises:',
        '  operation: { const: renew, when: { column: YZSBH, empty: false } }\n  contact.phone: { from: LXDH }\n  contact.appUserId: { from: YHID }\n  predecessor.sourceKey: { from: YXKZID }\n  surface.premises:',
      ),
    );
    await mkdir(join(dir, 'keys'));
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'keys', 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    await writeFile(join(dir, 'keys', 'other.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', 'key.pem', '-sm3', '-sigopt', 'distid:1234567812345678'].concat([
        '-subj',
        '/CN=seal',
        '-days',
        '30',
        '-out',
        'cert.pem',
      ]),
      { cwd: join(dir, 'keys') },
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a config whose files are all right', async () => {
    const file = join(dir, 'good.yaml');
    await writeFile(
      file,
      configYaml({
        catalog: './catalog',
        keyFile: join(dir, 'keys', 'key.pem'),
        pipelines: { food: './mappings/food-business-license.yaml' },
      }),
    );
    const r = await licbridge(['config', 'check', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(': ok (');
    expect(r.status).toBe(0);
    expect(await readFile(join(dir, 'mappings', 'food-business-license.yaml'), 'utf8')).toContain(
      'predecessor.number:',
    );
  });

  it('passes a mapping with a predecessor, an operation and a holder contact: no entry lists them', async () => {
    const file = join(dir, 'beside-config.yaml');
    await writeFile(
      file,
      configYaml({
        catalog: './catalog',
        keyFile: join(dir, 'keys', 'key.pem'),
        pipelines: { food: './mappings/beside.yaml' },
      }),
    );
    const r = await licbridge(['config', 'check', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('exits 2 naming a missing mapping, a broken mapping, a failing entry and a foreign key', async () => {
    const file = join(dir, 'bad.yaml');
    const text = configYaml({
      catalog: './bad-catalog',
      keyFile: join(dir, 'keys', 'other.pem'),
      pipelines: { missing: './mappings/not-there.yaml', broken: './mappings/broken.yaml' },
    });
    await writeFile(file, text);
    const r = await licbridge(['config', 'check', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain(': ok (');
    const out = r.stderr;
    expect(out).toContain(
      `${file}:${lineOf(text, 'not-there.yaml')}:14: pipelines.missing.mapping: cannot read mapping file`,
    );
    expect(out).toContain('ENOENT');
    const broken = await readFile(join(dir, 'mappings', 'broken.yaml'), 'utf8');
    expect(out).toMatch(new RegExp(`broken\\.yaml:${lineOf(broken, 'shout')}:\\d+: .*shout`));
    const entry = await readFile(join(dir, 'bad-catalog', 'food-business-license.yaml'), 'utf8');
    expect(out).toContain(
      `food-business-license.yaml:${lineOf(entry, 'holderCategory: company')}:17: holderCategory`,
    );
    expect(out).toMatch(
      new RegExp(
        `${file}:${lineOf(text, 'cert.pem')}:\\d+: signers.district-seal.certificate: .*does not certify`,
      ),
    );
  });

  it('exits 2 naming a mapped field the catalog entry does not have', async () => {
    const file = join(dir, 'fields.yaml');
    await writeFile(
      file,
      configYaml({
        catalog: './catalog',
        keyFile: join(dir, 'keys', 'key.pem'),
        pipelines: { food: './mappings/extra-field.yaml' },
      }),
    );
    const r = await licbridge(['config', 'check', file]);
    expect(r.status).toBe(2);
    const mapping = await readFile(join(dir, 'mappings', 'extra-field.yaml'), 'utf8');
    expect(r.stderr).toContain(
      `extra-field.yaml:${lineOf(mapping, 'surface.openingHours')}:3: fields.surface.openingHours:`,
    );
    expect(r.stderr).toContain('is not a field of license type 11370200MB12345674001');
  });

  it('--connect also reaches sources, Redis, the ledger and targets, naming what does not answer', async () => {
    const file = join(dir, 'good.yaml');
    const text = await readFile(file, 'utf8');
    const r = await licbridge(['config', 'check', '--connect', file]);
    expect(r.status, r.stderr).toBe(2);
    // No legacy database in data/, nothing listening on port 9; Redis and the ledger's folder are there.
    expect(r.stderr).toMatch(
      new RegExp(
        `${file}:${lineOf(text, 'market-food: {')}:\\d+: sources.market-food: source market-food: not reachable`,
      ),
    );
    expect(r.stderr).toMatch(
      new RegExp(
        `${file}:${lineOf(text, '127.0.0.1:9')}:\\d+: targets.province.url: target province: not reachable`,
      ),
    );
    expect(r.stderr).not.toContain('queue.redis');
    expect(r.stderr).not.toContain('ledger.url');
  });
});
