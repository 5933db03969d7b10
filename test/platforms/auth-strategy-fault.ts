/**
 * An auth strategy's own fault (a bug throwing a plain Error, not an endpoint's answer) while a
 * request's credentials are made, and what the rest-json target must turn it into, whichever
 * request (batch, lookup, catalog) was being made: a licbridge error naming the target with the
 * fault as its cause, unsent only when no send reached the platform, masked when logged.
 */
import { afterEach, expect } from 'vitest';
import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { AuthStrategy } from '../../adapters/platforms/shared/auth/auth-strategy.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { lineLogger } from '../support/log-lines.js';
import { restConfig } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

/** Closers to run, last first, after each test of the calling file. */
export function closedAfterEach(): Array<() => Promise<void>> {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });
  return closers;
}

/** What `p` was rejected with, or undefined if it resolved. */
export const failure = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

/** The fault: its message holds an ID-number-shaped value that a logged error must not show. */
export const strategyFault = () =>
  new TypeError('signing: cannot read properties of undefined (holder 13912340001)');

/** A strategy that throws `thrown` from its `after`-th credentials on. */
export function throwingStrategy(after: number, thrown: Error): AuthStrategy {
  let made = 0;
  return {
    headers: async () => {
      made += 1;
      if (made >= after) throw thrown;
      return { authorization: 'Bearer fake-token-1' };
    },
    refresh: async () => true,
  };
}

/** A platform refusing every request's credentials (401), closed through `closers`. */
export async function refusingPlatform(closers: Array<() => Promise<void>>): Promise<ScriptedServer> {
  const platform = await startScriptedServer(() => ({
    status: 401,
    body: { code: 401, reason: 'invalid_token' },
  }));
  closers.push(() => platform.close());
  return platform;
}

/** Credentials made every time; their renewal (after a 401) throws `thrown`. */
export const failingRenewal = (thrown: Error): AuthStrategy => ({
  headers: async () => ({ authorization: 'Bearer fake-token-1' }),
  refresh: async () => {
    throw thrown;
  },
});

/**
 * A REST/JSON target `name` with strategy `auth` at a `refusingPlatform` (`overrides` over the
 * target's config); both closed through `closers`.
 */
export async function refusedRestTarget(
  closers: Array<() => Promise<void>>,
  name: string,
  auth: AuthStrategy,
  overrides: Partial<RestJsonTargetConfig> = {},
): Promise<{ platform: ScriptedServer; target: RestJsonTarget }> {
  const platform = await refusingPlatform(closers);
  const target = new RestJsonTarget(name, restConfig(platform.url, overrides), { auth });
  closers.push(() => target.close());
  return { platform, target };
}

/**
 * A `refusedRestTarget` whose strategy throws `thrown` from its `after`-th credentials on.
 */
export function faultyRestTarget(
  closers: Array<() => Promise<void>>,
  name: string,
  after: number,
  thrown: Error,
  overrides: Partial<RestJsonTargetConfig> = {},
): Promise<{ platform: ScriptedServer; target: RestJsonTarget }> {
  return refusedRestTarget(closers, name, throwingStrategy(after, thrown), overrides);
}

/** `error` names target `name` with `thrown` as its cause, and is unsent exactly when `unsent`. */
export function expectStrategyFault(error: unknown, name: string, thrown: Error, unsent: boolean): void {
  expect(isLicbridgeError(error)).toBe(true);
  if (!isLicbridgeError(error)) return;
  expect(error.code).toBe(ErrorCodes.INTERNAL);
  expect(error.message).toContain(`target ${name}`);
  if (unsent) {
    expect(error.context).toMatchObject({ target: name, unsent: true });
  } else {
    expect(error.context).toMatchObject({ target: name });
    expect(error.context.unsent).toBeUndefined();
  }
  expect(error.cause).toBe(thrown);
}

/** Logged as the caller logs it (`message`), `error` keeps the fault's text but not the ID number in it. */
export function expectLoggedMasked(error: unknown, name: string, message: string): void {
  const { logger, lines } = lineLogger('warn');
  logger.warn({ target: name, err: error }, message);
  const line = lines.join('\n');
  expect(line).toContain('signing: cannot read properties of undefined');
  expect(line).not.toContain('13912340001');
}
