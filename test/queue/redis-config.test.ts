// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { queueConnection, redisEndpoints } from '../../pipelines/redis.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const QUEUE_LINE = /^queue: .*$/m;
const withQueue = (yaml: string): string => {
  expect(VALID_CONFIG).toMatch(QUEUE_LINE);
  return VALID_CONFIG.replace(QUEUE_LINE, yaml);
};
const load = async (text: string, env: NodeJS.ProcessEnv = {}) =>
  loadConfig({ file: await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM }), env });
const ENV = { REDIS_PASSWORD: 'master-pw-1', SENTINEL_PASSWORD: 'sent-pw-2' };
const messages = async (queueYaml: string) =>
  (await problemsOf(withQueue(queueYaml), ENV)).problems.map((p) => `${p.path}: ${p.message}`);

const SENTINEL = [
  'queue:',
  '  redis:',
  '    sentinels: ["10.0.0.5:26379", "10.0.0.6:26379", "[::1]:26380"]',
  '    name: lb-master',
  '    password: "${env:REDIS_PASSWORD}"',
  '    sentinelPassword: "${env:SENTINEL_PASSWORD}"',
].join('\n');

const CLUSTER = [
  'queue:',
  '  redis:',
  '    cluster: ["10.0.1.1:6379", "10.0.1.2:6379"]',
  '  prefix: "{licbridge}"',
].join('\n');

describe('queue.redis: a URL, Redis behind Sentinel, or a Redis Cluster', () => {
  it('keeps the plain URL form: host, port, database and password from the URL', async () => {
    const config = await load(withQueue('queue: { redis: "${env:REDIS_URL}" }'), {
      REDIS_URL: 'redis://lb:s3cret-pw@cache.internal:6380/2',
    });
    expect(config.queue.redis).toBe('redis://lb:s3cret-pw@cache.internal:6380/2');
    expect(queueConnection(config.queue.redis)).toMatchObject({
      host: 'cache.internal',
      port: 6380,
      db: 2,
      username: 'lb',
      password: 's3cret-pw',
      maxRetriesPerRequest: null,
    });
    expect(redisEndpoints(config.queue.redis)).toBe('redis://cache.internal:6380');
  });

  it('reads a Sentinel mapping with passwords from the environment, and fills its defaults', async () => {
    const config = await load(withQueue(SENTINEL), ENV);
    expect(config.queue.redis).toEqual({
      sentinels: ['10.0.0.5:26379', '10.0.0.6:26379', '[::1]:26380'],
      name: 'lb-master',
      password: 'master-pw-1',
      sentinelPassword: 'sent-pw-2',
      db: 0,
      tls: false,
    });
    expect(config.queue.prefix).toBe('licbridge');
    expect(queueConnection(config.queue.redis)).toMatchObject({
      sentinels: [
        { host: '10.0.0.5', port: 26379 },
        { host: '10.0.0.6', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'lb-master',
      password: 'master-pw-1',
      sentinelPassword: 'sent-pw-2',
      maxRetriesPerRequest: null,
    });
    const where = redisEndpoints(config.queue.redis);
    expect(where).toBe('master `lb-master` via sentinels 10.0.0.5:26379, 10.0.0.6:26379, [::1]:26380');
    expect(where).not.toMatch(/pw/);
  });

  it('reads a Cluster mapping whose prefix is a hash tag', async () => {
    const config = await load(withQueue(CLUSTER));
    expect(config.queue.prefix).toBe('{licbridge}');
    expect(queueConnection(config.queue.redis)).toMatchObject({
      clusterNodes: [
        { host: '10.0.1.1', port: 6379 },
        { host: '10.0.1.2', port: 6379 },
      ],
      maxRetriesPerRequest: null,
    });
    expect(redisEndpoints(config.queue.redis)).toBe('cluster 10.0.1.1:6379, 10.0.1.2:6379');
  });

  it('refuses a Cluster without a hash-tag prefix: BullMQ scripts span a queue’s keys, one slot only', async () => {
    expect(await messages(CLUSTER.replace('prefix: "{licbridge}"', 'prefix: licbridge'))).toEqual([
      'queue.prefix: expected a hash tag in braces, such as `{licbridge}`: on a Redis Cluster it keeps every key of a queue in one slot, got `licbridge` (string)',
    ]);
    expect(await messages(CLUSTER.replace('  prefix: "{licbridge}"', ''))).toEqual([
      'queue: missing required key `prefix`',
    ]);
    // A cluster has database 0 only: another is refused, not silently ignored.
    expect(await messages(CLUSTER.replace('    cluster:', '    db: 3\n    cluster:'))).toEqual([
      'queue.redis.db: expected `0`, got `3` (number)',
    ]);
    // An empty tag hashes the whole key: no better than none.
    expect(await messages(CLUSTER.replace('{licbridge}', 'lb{}'))).toHaveLength(1);
  });

  it('says what is wrong with a mapping: typo, missing master name, both or neither kind, bad address', async () => {
    expect(await messages(SENTINEL.replace('sentinelPassword', 'sentinelPasword'))).toEqual([
      'queue.redis: unknown key `sentinelPasword`; did you mean `sentinelPassword`?',
    ]);
    expect(await messages(SENTINEL.replace('    name: lb-master\n', ''))).toEqual([
      'queue.redis: missing required key `name` (needed with `sentinels`)',
    ]);
    expect(await messages(`${SENTINEL}\n    cluster: ["10.0.1.1:6379"]\n  prefix: "{lb}"`)).toEqual([
      'queue.redis: expected exactly one of the keys `sentinels`, `cluster` or `url`',
    ]);
    expect(await messages('queue:\n  redis: { password: "${env:REDIS_PASSWORD}" }')).toEqual([
      'queue.redis: expected exactly one of the keys `sentinels`, `cluster` or `url`',
    ]);
    expect(await messages(SENTINEL.replace('10.0.0.6:26379', '10.0.0.6'))).toEqual([
      'queue.redis.sentinels[1]: expected a `host:port` address, such as `10.0.0.5:26379`, got `10.0.0.6` (string)',
    ]);
    expect(await messages('queue: { redis: "http://cache:6379" }')).toEqual([
      'queue.redis: expected a URL starting with `redis://` or `rediss://`, got `http://cache:6379` (string)',
    ]);
  });

  it('never shows a password from the config in a problem', async () => {
    const { problems } = await problemsOf(
      withQueue(`${SENTINEL.replace('    name: lb-master\n', '')}\n    tls: "yes"`),
      ENV,
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(problems)).not.toMatch(/master-pw-1|sent-pw-2/);
  });
});
