/**
 * Redis refusing the credentials of `queue.redis` (a wrong password, a wrong ACL user, no password
 * where one is required) ended the connection, and the run said only "Redis is not reachable …:
 * Connection is closed." and to start Redis, which was running. It now says Redis refused the
 * credentials, with Redis's reply word, naming the URL with its password masked, and does not
 * retry. Against the local Redis (no password: a wrong ACL user is refused) and a redis-server the
 * test starts with `requirepass`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { assertRedisReachable, type QueueRedis } from '../../pipelines/redis.js';
import { type LoneRedis, startLoneRedis } from '../support/redis-servers.js';

async function refusal(redis: QueueRedis): Promise<LicbridgeError> {
  const error = await assertRedisReachable(redis, 3000).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LicbridgeError);
  expect((error as LicbridgeError).code).toBe(ErrorCodes.QUEUE_UNREACHABLE);
  expect((error as LicbridgeError).retryable).toBe(false);
  return error as LicbridgeError;
}

const everything = (e: LicbridgeError): string =>
  JSON.stringify({ message: e.message, context: e.context, cause: String(e.cause ?? '') });

describe('Redis refusing the credentials', () => {
  const wrong = `pw-${randomUUID()}`;
  const right = `pw-${randomUUID()}`;
  let guarded: LoneRedis | undefined;
  let port = 0;

  beforeAll(async () => {
    guarded = await startLoneRedis({ password: right });
    port = guarded.port;
  }, 30_000);
  afterAll(async () => {
    await guarded?.stop();
  });

  it('a wrong ACL user on the local Redis: WRONGPASS, the URL with the password masked', async () => {
    const e = await refusal(`redis://lb-nobody:${wrong}@127.0.0.1:6379/0`);
    expect(e.message).toBe(
      'queue: Redis at redis://lb-nobody:***@127.0.0.1:6379/0 refused the credentials: wrong user name or password (WRONGPASS); check the user name and password of `queue.redis`',
    );
    expect(e.message).not.toContain('Connection is closed');
    expect(everything(e)).not.toContain(wrong);
  });

  it('a wrong password where one is required: WRONGPASS', async () => {
    const e = await refusal(`redis://:${wrong}@127.0.0.1:${port}`);
    expect(e.message).toBe(
      `queue: Redis at redis://:***@127.0.0.1:${port} refused the credentials: wrong user name or password (WRONGPASS); check the user name and password of \`queue.redis\``,
    );
    expect(everything(e)).not.toContain(wrong);
    expect(everything(e)).not.toContain(right);
  });

  it('no password where one is required: NOAUTH', async () => {
    const e = await refusal({ url: `redis://127.0.0.1:${port}`, db: 0, tls: false } as QueueRedis);
    expect(e.message).toBe(
      `queue: Redis at redis://127.0.0.1:${port} refused the credentials: it requires a password and none was given (NOAUTH); check the user name and password of \`queue.redis\``,
    );
  });

  it('the right password still connects', async () => {
    await expect(assertRedisReachable(`redis://:${right}@127.0.0.1:${port}`, 3000)).resolves.toBeUndefined();
  });
});
