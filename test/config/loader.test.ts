import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, VALID_CONFIG, writeConfig } from './fixtures.js';

const files = { 'data/keys/seal.key.pem': KEY_PEM };

describe('loadConfig on a valid config', () => {
  it('applies every default and resolves references', async () => {
    const file = await writeConfig(VALID_CONFIG, files);
    const config = await loadConfig({ file, env: { LICBRIDGE_PROVINCE_SECRET: 's3cr3t-from-env' } });
    expect(config.file).toBe(file);
    expect(config.queue).toEqual({
      redis: 'redis://127.0.0.1:6379',
      prefix: 'licbridge-demo',
      connectTimeoutMs: 5000,
      lockDurationMs: 10_000,
      stalledIntervalMs: 2000,
    });
    expect(config.log).toEqual({ level: 'info', format: 'auto' });
    expect(config.sources['market-food']).toMatchObject({ trim: 'all', pageSize: 500 });
    expect(config.signers['district-seal']).toMatchObject({ distId: '1234567812345678', key: KEY_PEM });
    expect(config.targets.province).toEqual({
      kind: 'rest-json',
      url: 'http://127.0.0.1:7801',
      auth: { scheme: 'hmac', appKey: 'demo', secret: 's3cr3t-from-env' },
      batchSize: 100,
      timeoutMs: 10000,
      concurrency: 4,
      attempts: 8,
      backoffMs: 1000,
      catalogPath: '/catalog/types',
      maxBackoffMs: 30000,
      pendingAlertMs: 3_600_000,
      reviewWaitMs: 600_000,
      maxBatchBytes: 33_554_432,
    });
  });

  it('makes every relative path absolute against the config file folder', async () => {
    const file = await writeConfig(
      VALID_CONFIG.replace('sealId: "37021100001"', 'sealId: "37021100001", certificate: keys/seal.cert.pem'),
      files,
    );
    const dir = join(file, '..');
    const config = await loadConfig({ file, env: {}, cwd: '/' });
    expect(config.ledger.url).toBe(`sqlite://${join(dir, 'data/ledger.db')}`);
    expect(config.catalog).toBe(join(dir, 'catalog'));
    expect(config.sources['market-food']?.path).toBe(join(dir, 'data/legacy.db'));
    expect(config.pipelines['food-business-licenses']?.mapping).toBe(
      join(dir, 'mappings/food-business-license.yaml'),
    );
    expect(config.signers['district-seal']?.certificate).toBe(join(dir, 'keys/seal.cert.pem'));
  });

  it('keeps in-memory and absolute SQLite ledgers and PostgreSQL URLs as written', async () => {
    for (const url of [
      'sqlite://:memory:',
      'sqlite:///var/lib/licbridge/ledger.db',
      'postgres://lb@db:5432/lb',
    ]) {
      const file = await writeConfig(VALID_CONFIG.replace('sqlite://./data/ledger.db', url), files);
      expect((await loadConfig({ file, env: {} })).ledger.url).toBe(url);
    }
  });

  it('fills queue and log when the sections are left out', async () => {
    const text = VALID_CONFIG.split('\n')
      .filter((l) => !l.startsWith('queue:'))
      .join('\n');
    const config = await loadConfig({ file: await writeConfig(text, files), env: {} });
    expect(config.queue).toEqual({
      redis: 'redis://127.0.0.1:6379',
      prefix: 'licbridge',
      connectTimeoutMs: 5000,
      lockDurationMs: 10_000,
      stalledIntervalMs: 2000,
    });
  });

  it('uses the env value over a `:-` default when it is set', async () => {
    const file = await writeConfig(VALID_CONFIG, files);
    const config = await loadConfig({ file, env: { LICBRIDGE_REDIS_URL: 'redis://cache:6380' } });
    expect(config.queue.redis).toBe('redis://cache:6380');
  });

  it('returns a deeply frozen object', async () => {
    const config = await loadConfig({ file: await writeConfig(VALID_CONFIG, files), env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.pipelines['food-business-licenses']?.targets)).toBe(true);
    expect(() => {
      (config.queue as { prefix: string }).prefix = 'other';
    }).toThrow(TypeError);
  });

  it('finds the file through LICBRIDGE_CONFIG, then <cwd>/licbridge.yaml', async () => {
    const file = await writeConfig(VALID_CONFIG, files);
    const viaEnv = await loadConfig({ env: { LICBRIDGE_CONFIG: file }, cwd: '/' });
    expect(viaEnv.file).toBe(file);
    const viaCwd = await loadConfig({ env: {}, cwd: join(file, '..') });
    expect(viaCwd.file).toBe(file);
  });
});
