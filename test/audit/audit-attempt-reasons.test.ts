/**
 * The reason code a `deliver-attempt` entry records in place of the error text: the deliver stage
 * passes it (pipelines/stages/deliver-attempt-reasons.ts), from a thrown error's fields as the
 * adapters set them, and from the adapters' words only for what carries no field (an outcome's
 * reasons); the ledger takes the code as given and refuses one outside the list.
 */
import { describe, expect, it } from 'vitest';
import { failedBy, pollInBatches } from '../../adapters/platforms/shared/batches.js';
import {
  errorFromAnswer,
  errorFromOversize,
  errorFromStatus,
  errorFromTransport,
  oversizeDetail,
} from '../../adapters/platforms/shared/http-failure.js';
import { keyOutcome } from '../../adapters/platforms/shared/key-results.js';
import { buildingBody } from '../../adapters/platforms/shared/request-bytes.js';
import { isAttemptReason } from '../../core/attempt-reasons.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { tlsFailureError } from '../../core/tls.js';
import {
  outcomeAttemptReason,
  thrownAttemptReason,
  wordsReason,
} from '../../pipelines/stages/deliver-attempt-reasons.js';

const AT = 'target province: batch upload to https://province.invalid:8443 failed';
const WHERE = { target: 'province', origin: 'https://province.invalid:8443', now: 0 };

describe('wordsReason (an outcome’s reasons, an error without fields)', () => {
  it.each([
    [`${AT}: HTTP 500 (DB_DOWN)`, 'http-500'],
    [`${AT}: request refused: HTTP 404`, 'http-404'],
    [`${AT}: credentials refused: HTTP 401`, 'auth'],
    [`${AT}: credentials refused: platform code 403`, 'auth'],
    [`${AT}: platform code 9 (BUSY)`, 'code-9'],
    [`${AT}: no answer in time`, 'timeout'],
    ['target province: timeout after 2000 ms', 'timeout'],
    [`${AT}: connection failed (ECONNREFUSED)`, 'unreachable'],
    ['target: province unreachable: ECONNRESET', 'unreachable'],
    [`${AT}: answer is not the documented JSON`, 'unreadable-answer'],
    ['province answered with an unknown status `FROZEN`', 'unknown-status'],
    ['province answered without a result for this key', 'no-result'],
    ['province answered 2 results for this key that disagree (rejected, accepted)', 'results-disagree'],
    ['the platform gave no verdict', 'no-verdict'],
    ['持证人 *** 已存在', 'other'],
    // The words of an answer cut off at its limit are their own kind, not `other`.
    [`${AT}: ${oversizeDetail(1_048_576)}`, 'answer-too-large'],
    // A target's name and the platform's URL are config's words, not the failure's.
    [
      'target timeout-gate: batch upload to https://tls.invalid failed: connection failed (ECONNRESET)',
      'unreachable',
    ],
    ['target office: status request to https://timeout.invalid:8443 failed: HTTP 502', 'http-502'],
    // No HTTP status has four digits or one: never a code the ledger refuses.
    [`${AT}: HTTP 999`, 'other'],
  ])('%s -> %s', (text, code) => {
    expect(wordsReason(text)).toBe(code);
    expect(isAttemptReason(wordsReason(text))).toBe(true);
  });

  it('reads an outcome with no reasons as no verdict, else by its reasons', () => {
    expect(outcomeAttemptReason({})).toBe('no-verdict');
    expect(outcomeAttemptReason({ reasons: [] })).toBe('no-verdict');
    expect(outcomeAttemptReason({ reasons: [`${AT}: HTTP 503`] })).toBe('http-503');
  });
});

describe('an outcome’s failure kind (set by the adapter, read before its words)', () => {
  it('takes the kind the adapter set over words that read otherwise', () => {
    // A status the platform names `timeout` is a status licbridge does not know.
    const unknown = keyOutcome('k1', [{ key: 'k1', status: 'timeout' }], 'service');
    expect(unknown.failure).toBe('unknown-status');
    expect(outcomeAttemptReason(unknown)).toBe('unknown-status');
    expect(keyOutcome('k1', [], 'service').failure).toBe('no-result');
    const twice = [
      { key: 'k1', status: 'rejected' },
      { key: 'k1', status: 'accepted' },
    ];
    expect(keyOutcome('k1', twice, 'service').failure).toBe('results-disagree');
  });

  it('codes an item left unsent by the fields of the error that stopped it', () => {
    const stopped = failedBy(
      'k1',
      errorFromStatus(503, '{"reason":"certificate timeout"}', undefined, WHERE),
    );
    expect(stopped.failure).toBe('http-503');
    expect(outcomeAttemptReason(stopped)).toBe('http-503');
  });

  it('codes a failed status request by its error’s fields, by its words when it has none', async () => {
    const refused = new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      'target office: status request failed: connection to the timeout gateway failed',
      { retryable: true, context: { target: 'office', errno: 'ECONNREFUSED' } },
    );
    const [byFields] = await pollInBatches([{ key: 'k1', platformId: 'p1', receipt: null }], 10, () => {
      throw refused;
    });
    expect(byFields).toMatchObject({ state: 'failed', unverified: true, failure: 'unreachable' });
    expect(outcomeAttemptReason(byFields ?? {})).toBe('unreachable');
    // An error whose adapter sets no field: its words are read.
    const driver = new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      'target city: reading exchange table UP_LIC_DATA failed (ECONNRESET)',
      { retryable: true, context: { target: 'city' } },
    );
    const [byWords] = await pollInBatches([{ key: 'k1', platformId: 'p1', receipt: null }], 10, () => {
      throw driver;
    });
    expect(byWords?.failure).toBeUndefined();
    expect(outcomeAttemptReason(byWords ?? {})).toBe('unreachable');
  });
});

describe('thrownAttemptReason (a send that threw: by the error’s fields)', () => {
  it.each([
    ['an HTTP status', errorFromStatus(503, '{"reason":"BUSY"}', undefined, WHERE), 'http-503'],
    ['refused credentials', errorFromStatus(401, '', undefined, WHERE), 'auth'],
    ['refused credentials in a 200', errorFromAnswer(403, '{}', WHERE), 'auth'],
    ['a platform answer code', errorFromAnswer(9, '{}', WHERE), 'code-9'],
    [
      'a body that is not the documented answer',
      errorFromAnswer(undefined, '<html>', WHERE),
      'unreadable-answer',
    ],
    ['an answer past its limit', errorFromOversize(1_048_576, WHERE), 'answer-too-large'],
    [
      'no answer in time',
      errorFromTransport(
        { code: 'ECONNABORTED', message: 'timeout of 2000ms exceeded', timedOut: true },
        WHERE,
      ),
      'timeout',
    ],
    [
      'a refused connection',
      errorFromTransport({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', timedOut: false }, WHERE),
      'unreachable',
    ],
    [
      'a server certificate refused',
      tlsFailureError(
        'expired',
        { connection: 'target province', code: ErrorCodes.TARGET_UNREACHABLE },
        undefined,
        {
          code: 'CERT_HAS_EXPIRED',
        },
      ),
      'tls',
    ],
    [
      'a driver’s refused connection',
      Object.assign(new Error('connect failed'), { code: 'ECONNRESET' }),
      'unreachable',
    ],
    ['an error of no known kind', new Error('boom'), 'other'],
  ])('%s', (_what, error, code) => {
    expect(thrownAttemptReason(error)).toBe(code);
  });

  it('takes a request body too large to build as its own kind', () => {
    let thrown: unknown;
    try {
      buildingBody('province', () => {
        throw new RangeError('Invalid string length');
      });
    } catch (e) {
      thrown = e;
    }
    expect(thrownAttemptReason(thrown)).toBe('request-too-large');
  });

  it('is not misled by the words of the target or the platform’s origin', () => {
    // A refused connection to a host named `timeout`: its message holds the word, its errno says.
    const refused = errorFromTransport(
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED', timedOut: false },
      { target: 'province', origin: 'https://timeout.province.invalid:8443', now: 0 },
    );
    expect(refused.message).toContain('timeout');
    expect(thrownAttemptReason(refused)).toBe('unreachable');
    // A 502 from a gateway whose answer token says TIMEOUT is the status the platform answered.
    const status = errorFromStatus(502, '{"reason":"UPSTREAM_TLS_TIMEOUT"}', undefined, {
      ...WHERE,
      target: 'tls-gate',
    });
    expect(thrownAttemptReason(status)).toBe('http-502');
  });

  it('reads a front database’s failure, which keeps no field, by the adapter’s words', () => {
    const failure = new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      'target office: exchange write failed (timed out after 2000 ms)',
      { retryable: true, context: { target: 'office' } },
    );
    expect(thrownAttemptReason(failure)).toBe('timeout');
  });
});

describe('isAttemptReason (what the ledger takes)', () => {
  it.each([
    ['http-503', true],
    ['code-9', true],
    ['code--1', true],
    ['answer-too-large', true],
    ['other', true],
    ['http-5000', false],
    ['http-abc', false],
    ['larger than the limit', false],
    ['', false],
  ])('%s -> %s', (code, ok) => {
    expect(isAttemptReason(code)).toBe(ok);
  });
});
