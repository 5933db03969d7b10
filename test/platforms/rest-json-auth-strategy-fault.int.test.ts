/**
 * An auth strategy's own fault (a bug throwing a plain Error, not an endpoint's answer) while the
 * credentials of a batch sent again after a 401 were made: the fault went out of the target as it
 * was thrown, with no target named, no code and nothing saying what failed. It is now a licbridge
 * error naming the target, the fault kept as its cause (masked when logged, as every logged error
 * is), and no `unsent`: the batch's first send reached the platform, an attempt of its licenses.
 * Before any send the fault already failed the request unsent (credentialsNotMade).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { lineLogger } from '../support/log-lines.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('rest-json: an auth strategy that throws after a first send', () => {
  it('fails the request naming the target, its fault kept as the cause, an attempt', async () => {
    const platform = await startScriptedServer(() => ({ status: 401, body: { reason: 'invalid_token' } }));
    closers.push(() => platform.close());
    const fault = new TypeError('signing: cannot read properties of undefined (holder 13912340001)');
    let made = 0;
    const name = `province-auth-fault-${process.pid}`;
    const target = new RestJsonTarget(name, restConfig(platform.url), {
      auth: {
        headers: async () => {
          made += 1;
          if (made > 1) throw fault;
          return { authorization: 'Bearer fake-token-1' };
        },
        refresh: async () => true,
      },
    });
    closers.push(() => target.close());

    const error = await target.deliver([deliveryItem(1)]).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(platform.seen).toHaveLength(1);
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.message).toContain(`target ${name}`);
    expect(error.context).toMatchObject({ target: name });
    expect(error.context.unsent).toBeUndefined();
    expect(error.cause).toBe(fault);

    const { logger, lines } = lineLogger('warn');
    logger.warn({ target: name, err: error }, 'delivery failed');
    const line = lines.join('\n');
    expect(line).toContain('signing: cannot read properties of undefined');
    expect(line).not.toContain('13912340001');
  });
});
