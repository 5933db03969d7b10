/**
 * An auth strategy's own fault (a bug throwing a plain Error, not an endpoint's answer) while the
 * catalog request's credentials were made went out of `catalog pull` as it was thrown: no target
 * named, no code, no cause kept and nothing saying the request never left. As a batch's
 * (rest-json-target.ts, rest-json-auth-strategy-fault.int.test.ts): before any send it fails
 * unsent, a licbridge error naming the target with the fault as its cause (credentialsNotMade);
 * after a first send (the retry after a 401) it names the target, not unsent.
 * The strategy is the target's own (created from its config), so the fault is put in its place.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import type { AuthStrategy } from '../../adapters/platforms/shared/auth/auth-strategy.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { lineLogger } from '../support/log-lines.js';
import { restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const strategy = vi.hoisted(() => ({ current: undefined as AuthStrategy | undefined }));
vi.mock('../../adapters/platforms/shared/auth/create-auth.js', () => ({
  createAuthStrategy: () => strategy.current,
}));

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  strategy.current = undefined;
});

const fault = () => new TypeError('signing: cannot read properties of undefined (holder 13912340001)');

/** A platform refusing every request, and a strategy throwing `thrown` from its `after`-th credentials on. */
async function faultyStrategy(after: number, thrown: Error) {
  const platform = await startScriptedServer(() => ({
    status: 401,
    body: { code: 401, reason: 'invalid_token' },
  }));
  closers.push(() => platform.close());
  let made = 0;
  strategy.current = {
    headers: async () => {
      made += 1;
      if (made >= after) throw thrown;
      return { authorization: 'Bearer fake-token-1' };
    },
    refresh: async () => true,
  };
  return platform;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('catalog request: an auth strategy that throws', () => {
  it('before any send: fails unsent, naming the target, the fault its cause, logged masked', async () => {
    const thrown = fault();
    const platform = await faultyStrategy(1, thrown);
    const name = `province-catalog-fault-${process.pid}`;

    const error = await failure(fetchCatalogTypes(name, restConfig(platform.url, { timeoutMs: 2000 })));

    expect(platform.seen).toHaveLength(0);
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.message).toContain(`target ${name}`);
    expect(error.context).toMatchObject({ target: name, unsent: true });
    expect(error.cause).toBe(thrown);

    const { logger, lines } = lineLogger('warn');
    logger.warn({ target: name, err: error }, 'catalog pull failed');
    const line = lines.join('\n');
    expect(line).toContain('signing: cannot read properties of undefined');
    expect(line).not.toContain('13912340001');
  });

  it('after a first send (the retry after a 401): names the target, the fault its cause, not unsent', async () => {
    const thrown = fault();
    const platform = await faultyStrategy(2, thrown);
    const name = `province-catalog-fault-${process.pid}`;

    const error = await failure(fetchCatalogTypes(name, restConfig(platform.url, { timeoutMs: 2000 })));

    expect(platform.seen).toHaveLength(1);
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error.code).toBe(ErrorCodes.INTERNAL);
    expect(error.message).toContain(`target ${name}`);
    expect(error.context).toMatchObject({ target: name });
    expect(error.context.unsent).toBeUndefined();
    expect(error.cause).toBe(thrown);
  });
});
