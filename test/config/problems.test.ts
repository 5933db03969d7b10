// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { ConfigError } from '../../core/errors.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

/** The valid config with one substring replaced. */
const broken = (from: string, to: string): string => {
  expect(VALID_CONFIG).toContain(from);
  return VALID_CONFIG.replace(from, to);
};

describe('config problems point at the right place', () => {
  it('malformed YAML is reported with its line and column', async () => {
    const text = broken('catalog: ./catalog', 'catalog: ./catalog: nested');
    const { file, problems } = await problemsOf(text);
    expect(problems[0]).toMatchObject({ file, line: positionOf(text, 'catalog:').line });
    expect(problems[0]?.message).toMatch(/^YAML: /);
  });

  it('a duplicate key is reported at its second occurrence', async () => {
    const text = broken('catalog: ./catalog', 'catalog: ./catalog\ncatalog: ./other');
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'catalog:', 2),
        message: 'YAML: duplicate key `catalog`',
      }),
    ]);
  });

  it('a wrong type says what was expected and what was got', async () => {
    const text = broken('cursor: GXSJ', 'cursor: 12');
    const { problems, error } = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      ...positionOf(text, '12 }'),
      path: 'pipelines.food-business-licenses.stream.cursor',
    });
    expect(problems[0]?.message).toMatch(/^expected string, got `12` \(number\)/);
    expect(formatConfigError(error)).toMatch(
      /licbridge\.yaml:9:\d+: pipelines\.food-business-licenses\.stream\.cursor: expected string/,
    );
  });

  it('a typo in a key is pointed at, with the key it probably meant', async () => {
    const text = broken('cursor: GXSJ', 'cursr: GXSJ');
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'cursr'),
        path: 'pipelines.food-business-licenses.stream',
        message: 'unknown key `cursr`; did you mean `cursor`?',
      }),
    ]);
  });

  it("a wrong kind lists the allowed kinds instead of every variant's errors", async () => {
    const text = broken('kind: sqlite', 'kind: sqllite');
    const { problems } = await problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ ...positionOf(text, 'sqllite'), path: 'sources.market-food.kind' });
    expect(problems[0]?.message).toBe(
      'unknown kind `sqllite`; expected one of `sqlite`, `postgres`, `mysql`, `mssql`, `oracle`, `kingbase`, `dm` or `xml-files`; did you mean `sqlite`?',
    );
  });

  it('errors inside a variant are about that variant', async () => {
    const text = broken('kind: sqlite, path: ./data/legacy.db', 'kind: postgres');
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      ['sources.market-food', 'missing required key `connection`'],
    ]);
  });

  it('an unknown pipeline source is reported at the reference, listing the defined ones', async () => {
    const text = broken('source: market-food', 'source: market-fod');
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'market-fod'),
        path: 'pipelines.food-business-licenses.source',
        message: 'unknown source `market-fod`; defined sources: `market-food`; did you mean `market-food`?',
      }),
    ]);
  });

  it('unknown signer and target references are reported too', async () => {
    const text = broken('signer: district-seal', 'signer: county-seal').replace(
      '[province]',
      '[province, city]',
    );
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual([
      'pipelines.food-business-licenses.signer',
      'pipelines.food-business-licenses.targets[1]',
    ]);
  });

  it('a target sending license files without licenseFiles.store is pointed at, and not once a store is set', async () => {
    const text = broken(
      'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}" } }',
      'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}" }, licenseFiles: { send: base64 } }',
    );
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'base64'),
        path: 'targets.province.licenseFiles.send',
        message:
          'target province sends license files (`send: base64`), but `licenseFiles.store` is not set: name the file store `sign files` issues into',
      }),
    ]);
    // `send: off` sends nothing, and a store set makes the same target fine: both load.
    const off = broken(
      'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}" } }',
      'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}" }, licenseFiles: { send: "off" } }',
    );
    const files = { 'data/keys/seal.key.pem': KEY_PEM };
    await expect(loadConfig({ file: await writeConfig(off, files), env: {} })).resolves.toBeDefined();
    const stored = await loadConfig({
      file: await writeConfig(`${text}licenseFiles: { store: ./files }\n`, files),
      env: {},
    });
    expect(stored.licenseFiles?.store).toBeDefined();
  });

  it('out-of-range numbers state the range', async () => {
    const { problems } = await problemsOf(broken('trim: all', 'pageSize: 0'));
    expect(problems[0]?.message).toBe('expected integer from 1 to 50000, got `0` (number)');
  });

  it('a bad map name is pointed at', async () => {
    const text = broken('  market-food: {', '  Market_Food: {').replace(
      'source: market-food',
      'source: Market_Food',
    );
    const { problems } = await problemsOf(text);
    expect(problems[0]).toMatchObject({ ...positionOf(text, 'Market_Food'), path: 'sources' });
    expect(problems[0]?.message).toMatch(/`Market_Food` is not a valid name/);
  });

  it('collects every problem into one error', async () => {
    const text = broken('cursor: GXSJ', 'cursr: GXSJ').replace('areaCode: "370211"', 'areaCode: "3702"');
    const { problems, error } = await problemsOf(text);
    expect(problems).toHaveLength(2);
    expect(formatConfigError(error).split('\n')).toHaveLength(2);
  });

  it('a missing config file names the path it looked at', async () => {
    const error = await loadConfig({ cwd: '/nonexistent-licbridge', env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]?.file).toBe('/nonexistent-licbridge/licbridge.yaml');
    expect((error as ConfigError).message).toContain('config file not found');
  });
});

describe('references in problems', () => {
  it('a missing env var is reported at the scalar, by name', async () => {
    const text = broken('${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}', '${env:PROVINCE_SECRET}');
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        ...positionOf(text, '"${env:PROVINCE_SECRET}"'),
        path: 'targets.province.auth.secret',
      }),
    ]);
    expect(problems[0]?.message).toContain('`PROVINCE_SECRET` is not set');
  });

  it('an unreadable ${file:} is reported at the scalar, naming the path', async () => {
    const text = VALID_CONFIG;
    const { problems } = await problemsOf(text, {}, {});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ ...positionOf(text, '"${file:'), path: 'signers.district-seal.key' });
    expect(problems[0]?.message).toContain('./data/keys/seal.key.pem');
    expect(problems[0]?.message).toContain('no such file');
  });

  it('never echoes a value that came from the environment', async () => {
    const secret = 'hunter2-Very-Secret';
    const env = {
      LICBRIDGE_PROVINCE_URL: `ftp://${secret}`,
      LICBRIDGE_REDIS_URL: secret,
      LICBRIDGE_PROVINCE_SECRET: secret,
    };
    const text = broken('sealId: "37021100001"', 'sealId: "${env:LICBRIDGE_PROVINCE_SECRET}", passphrase: 5');
    const { error, problems } = await problemsOf(text, env);
    expect(problems.map((p) => p.path).sort()).toEqual([
      'queue.redis',
      'signers.district-seal.passphrase',
      'targets.province.url',
    ]);
    expect(problems.find((p) => p.path === 'queue.redis')?.message).toContain(
      'from `${env:LICBRIDGE_REDIS_URL',
    );
    for (const shown of [error.message, formatConfigError(error), JSON.stringify(error.toJSON())]) {
      expect(shown).not.toContain(secret);
    }
  });

  it('never echoes a secret written inline in the wrong type', async () => {
    const text = broken('"${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"', '987654321');
    const { error } = await problemsOf(text);
    expect(error.problems[0]?.path).toBe('targets.province.auth.secret');
    expect(formatConfigError(error)).not.toContain('987654321');
  });
});
