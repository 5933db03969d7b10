// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A secret read with `${file:…}` (here a platform's HMAC secret) from a file group or others can
 * read is reported by `config check`: the check still passes, with a warning naming the line,
 * the setting, the file and its mode.
 */
import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { licbridge } from '../support/cli.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');

const CONFIG = `ledger: { url: "sqlite://./ledger.db" }
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
    auth: { scheme: hmac, appKey: lb, secret: "\${file:./province.secret}" }
`;

describe('config check and a secret read through ${file:…}', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'licbridge-secretmode-'));
    await cp(join(EXAMPLE, 'catalog'), join(dir, 'catalog'), { recursive: true });
    await cp(join(EXAMPLE, 'mappings'), join(dir, 'mappings'), { recursive: true });
    await writeFile(join(dir, 'legacy.db'), '');
    await writeFile(join(dir, 'seal.key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    await writeFile(join(dir, 'province.secret'), 'S3cret-of-the-Province\n', { mode: 0o600 });
    file = join(dir, 'licbridge.yaml');
    await writeFile(file, CONFIG);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says nothing more when only its owner can read it', async () => {
    await chmod(join(dir, 'province.secret'), 0o600);
    const r = await licbridge(['config', 'check', file], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('warns, naming the line, setting, file and mode, when others can read it', async () => {
    await chmod(join(dir, 'province.secret'), 0o644);
    const r = await licbridge(['config', 'check', file], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(': ok');
    const line = CONFIG.split('\n').findIndex((l) => l.includes('${file:./province.secret}')) + 1;
    expect(r.stderr).toContain(`warning: ${file}:${line}:`);
    expect(r.stderr).toContain('targets.province.auth.secret');
    expect(r.stderr).toContain(join(dir, 'province.secret'));
    expect(r.stderr).toMatch(/open to group or others \(mode 0644\)/);
    expect(r.stderr).not.toContain('S3cret-of-the-Province');
  });
});
