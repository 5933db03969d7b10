// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { ConfigError, ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { registerSecret, scrubbedError, scrubSecrets } from '../../core/scrub.js';

/** A PEM-shaped value made by the test: 20 lines of random base64. */
function fakeKey(): string {
  const body = randomBytes(960).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN TEST VALUE-----\n${body}\n-----END TEST VALUE-----\n`;
}

describe('values from config references never appear in a message', () => {
  it('replaces whole values, JSON-escaped values and long runs copied out of them', () => {
    const key = fakeKey();
    const marker = `pw-${randomBytes(6).toString('hex')}`;
    registerSecret(key, '${file:./k.pem}');
    registerSecret(marker, '${env:DB_PASSWORD}');
    expect(scrubSecrets(`table \`${key}\` not found`)).toBe('table `[from ${file:./k.pem}]` not found');
    expect(scrubSecrets(`{"msg":${JSON.stringify(`got ${key}`)}}`)).toBe(
      '{"msg":"got [from ${file:./k.pem}]"}',
    );
    // PostgreSQL cuts identifiers to 63 bytes; a message keeps the first 37 characters.
    const cut = scrubSecrets(`relation "${key.slice(0, 63)}" does not exist; also ${key.slice(200, 237)}...`);
    expect(cut).toBe('relation "[from ${file:./k.pem}]" does not exist; also [from ${file:./k.pem}]...');
    expect(scrubSecrets(`login as ${marker} failed`)).toBe('login as [from ${env:DB_PASSWORD}] failed');
    expect(scrubSecrets('nothing to hide here')).toBe('nothing to hide here');
    expect(scrubSecrets(`it starts with \`${key.split('\n')[1]?.slice(0, 37).toUpperCase()}...\``)).toBe(
      'it starts with `[from ${file:./k.pem}]...`',
    );
  });

  it('LicbridgeError scrubs its message, stack and context; foreign errors are scrubbed on the way out', () => {
    const marker = `tbl-${randomBytes(6).toString('hex')}`;
    registerSecret(marker, '${env:TABLE}');
    const e = new LicbridgeError(ErrorCodes.SOURCE_SCHEMA, `source s: table \`${marker}\` not found`, {
      context: { source: 's', table: marker },
    });
    expect(JSON.stringify(e.toJSON())).not.toContain(marker);
    expect(e.stack).not.toContain(marker);
    const foreign = scrubbedError(new Error(`relation "${marker}" does not exist`));
    expect(`${foreign.message}\n${foreign.stack}`).not.toContain(marker);
    const problems = new ConfigError([
      { file: '/c.yaml', line: 1, column: 1, path: 'x', message: `got ${marker}` },
    ]);
    expect(problems.problems[0]?.message).toBe('got [from ${env:TABLE}]');
  });

  it('no log line carries a value, whatever object a caller logs', () => {
    const key = fakeKey();
    registerSecret(key, '${file:./log.pem}');
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
    });
    logger.warn({ detail: { table: key }, error: `relation "${key.slice(0, 63)}"` }, `failed on ${key}`);
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    for (const piece of key.split('\n').filter((l) => l.length >= 16))
      expect(line).not.toContain(piece.slice(0, 16));
    expect(JSON.parse(line).msg).toBe('failed on [from ${file:./log.pem}]');
  });

  it('the config loader registers what env and file references supplied, but not written defaults', async () => {
    const marker = `redis-${randomBytes(6).toString('hex')}`;
    const fallback = `default-${randomBytes(6).toString('hex')}`;
    // From a file through loadConfig, as a run reads it: parseConfig alone compiles the config
    // validator from the schema, which was most of this file's time; loadConfig takes the one the
    // build compiles (test/support/config-validator.ts from the sources).
    const dir = mkdtempSync(join(tmpdir(), 'licbridge-scrub-'));
    try {
      writeFileSync(
        join(dir, 'licbridge.yaml'),
        `queue: { redis: "\${env:LB_T_URL}", prefix: "\${env:LB_T_NONE:-${fallback}}" }\nnope: 1\n`,
      );
      await expect(
        loadConfig({ file: join(dir, 'licbridge.yaml'), env: { LB_T_URL: marker } }),
      ).rejects.toBeInstanceOf(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(scrubSecrets(`at ${marker}`)).toBe('at [from ${env:LB_T_URL}]');
    expect(scrubSecrets(`at ${fallback}`)).toBe(`at ${fallback}`);
  });
});
