// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A password holding `@`, written into a connection URL through `${env:…}` as the docs show
 * (`postgres://lb:${env:LEDGER_PASSWORD}@db/x`), ends the URL's user info early: the URL parser
 * takes the rest of the password for the host, and the driver names it in its message
 * (`getaddrinfo ENOTFOUND <rest of the password>`). Whole values were scrubbed, not such pieces.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import { errorLine } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { registerSecret, scrubSecrets } from '../../core/scrub.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { assertRedisReachable } from '../../pipelines/redis.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

await usePrebuiltConfigValidator();

/** Loads a config whose ledger URL takes its password from PW, registering it as the loader does. */
function loadWithPassword(password: string): void {
  try {
    parseConfig('ledger: { url: "postgres://lb:${env:PW}@127.0.0.1:5432/test" }\nnope: 1\n', {
      file: '/cfg/licbridge.yaml',
      env: { PW: password },
    });
  } catch {
    // The config is incomplete on purpose: only the references matter here.
  }
}

describe('a password with `@` put into a URL', () => {
  it('is not named by the ledger, in its error or its log lines', async () => {
    const rest = `Part9${randomBytes(5).toString('hex')}`;
    const password = `k9@${rest}/x`;
    loadWithPassword(password);
    const lines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
    });
    let message = '';
    try {
      await openLedger(`postgres://lb:${password}@127.0.0.1:5432/test`, { logger, retryBudgetMs: 100 });
    } catch (e) {
      message = errorLine(e);
    }
    // The driver looked the rest of the password up as a host name (lower-cased by the URL parser).
    expect(message).toContain('ENOTFOUND [from ${env:PW}]');
    for (const text of [message, ...lines]) {
      expect(text).not.toContain(rest);
      expect(text).not.toContain(rest.toLowerCase());
    }
  });

  it('is not named by the queue check', async () => {
    const rest = `redis9${randomBytes(5).toString('hex')}`;
    const password = `k9@${rest}/x`;
    loadWithPassword(password);
    let message = '';
    try {
      await assertRedisReachable(`redis://:${password}@127.0.0.1:6379`, 1000);
    } catch (e) {
      message = errorLine(e);
    }
    expect(message).toContain('Redis is not reachable');
    expect(message).not.toContain(rest);
  });

  it('leaves ordinary words alone: short pieces, URLs and PEM text are not split', () => {
    registerSecret('ab@test/db', '${env:SHORT}');
    registerSecret('https://ops@gateway.example/api', '${env:URL}');
    registerSecret('-----BEGIN X-----\nabc/defghijk@lmnopq\n-----END X-----\n', '${file:x.pem}');
    expect(scrubSecrets('database test on gateway.example, lmnopq')).toBe(
      'database test on gateway.example, lmnopq',
    );
  });

  it('leaves pieces spelt as plain words alone, and still scrubs the rest', () => {
    registerSecret('k9@public/Ledger?SCHEMA#Xy7qPz', '${env:WORDS}');
    expect(scrubSecrets('relation "lb_runs" does not exist in schema public (Ledger SCHEMA)')).toBe(
      'relation "lb_runs" does not exist in schema public (Ledger SCHEMA)',
    );
    expect(scrubSecrets('getaddrinfo ENOTFOUND xy7qpz')).toBe('getaddrinfo ENOTFOUND [from ${env:WORDS}]');
  });

  it('leaves pieces without a letter alone: numbers and dates are ordinary text', () => {
    registerSecret('Qz@123456/2024-01-05', '${env:NUMBERS}');
    expect(scrubSecrets('123456 rows read on 2024-01-05')).toBe('123456 rows read on 2024-01-05');
  });
});
