/**
 * A Redis URL with a user part and no password (`redis://s3cret@host`), as an operator writes a
 * password the way some clients read it. ioredis (and licbridge's own reading of the URL) take a
 * lone user part for the ACL user name, sent with no password: Redis refuses it, and the refusal
 * named the URL with that part in clear, the password the operator meant shown in every log line.
 * It is now masked as a password is, and the message says how a password alone is written: in
 * words around `redis://:` and `@host`, not as a URL with a password in its place, which every rule
 * that hides a URL's password in a message hides too (`redis://:***@host` in the message,
 * `redis://***@host` as the CLI prints it and a log line carries it), the advice lost.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorLine, LicbridgeError } from '../../core/errors.js';
import { assertRedisReachable, maskedRedisUrl } from '../../pipelines/redis.js';

describe('a Redis URL with a user part alone', () => {
  it('is refused without the user part in clear, and says how a password is written', async () => {
    const secret = `pw${randomUUID().replaceAll('-', '')}`;
    const e = await assertRedisReachable(`redis://${secret}@127.0.0.1:6379/0`, 3000).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    const error = e as LicbridgeError;
    expect(error.retryable).toBe(false);
    const advice =
      'queue: Redis at redis://***@127.0.0.1:6379/0 refused the credentials: wrong user name or password (WRONGPASS); check the user name and password of `queue.redis` (its URL names a user and no password: a password alone is written after an empty user, `redis://:` then the password, then `@host`)';
    expect(error.message).toBe(advice);
    // As the CLI prints it and a log line carries it.
    expect(errorLine(error)).toBe(`${advice} [LB_QUEUE_UNREACHABLE]`);
    expect(
      JSON.stringify({ message: error.message, context: error.context, cause: String(error.cause) }),
    ).not.toContain(secret);
  });

  it('is masked in the URL a message names; a user beside a password stays shown', () => {
    expect(maskedRedisUrl('redis://s3cret@redis01:6380/2')).toBe('redis://***@redis01:6380/2');
    expect(maskedRedisUrl({ url: 'rediss://s3cret@redis01', db: 0, tls: true } as never)).toBe(
      'rediss://***@redis01:6379',
    );
    expect(maskedRedisUrl('redis://lb:pw@redis01:6379/0')).toBe('redis://lb:***@redis01:6379/0');
    expect(maskedRedisUrl('redis://:pw@redis01')).toBe('redis://:***@redis01:6379');
  });
});
