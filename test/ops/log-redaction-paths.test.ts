/**
 * Every personal-data and secret field a caller might hand the logger is logged here on purpose,
 * at the top level and one level down, in a call's object and in a child's bindings, and the
 * output is scanned for the values. The list of fields is written out in this test, from the
 * promise in docs (holder names and ID numbers, source rows, payloads, secrets never reach a log
 * line) — not read from core/logger.ts, so a path dropped there is caught here.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';

/** Personal data: who holds a license, and the raw rows and payloads that carry it. */
const PERSONAL_FIELDS = [
  'holder',
  'holderName',
  'holderId',
  'idNumber',
  'row',
  'values',
  'payload',
  // A holder's contacts for reminders, and a message gateway's recipient.
  'contact',
  'phone',
  'appUserId',
  'recipient',
];
/** Secrets (top level and one level down). */
const SECRET_FIELDS = [
  'password',
  'passphrase',
  'secret',
  'token',
  'accessToken',
  'authorization',
  'privateKey',
  'key',
];

function capture() {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString('utf8'));
      done();
    },
  });
  return { out, logger: createLogger({ level: 'trace', destination: stream }) };
}

/** A value that cannot appear in a log line by chance. */
const marker = (field: string): string => `M${randomBytes(6).toString('hex')}-${field}`;

describe('the logger redacts every personal and secret field', () => {
  it.each([...PERSONAL_FIELDS, ...SECRET_FIELDS])(
    'never writes %s, at the top level or one level down',
    (field) => {
      const { out, logger } = capture();
      const top = marker(field);
      const nested = marker(field);
      const asObject = marker(field);
      logger.info({ [field]: top, pipeline: 'p1' }, 'top level');
      logger.warn({ context: { [field]: nested, pipeline: 'p1' } }, 'one level down');
      // Personal data usually arrives as an object (a holder, a row): the whole of it goes.
      logger.error({ [field]: { name: asObject, id: asObject }, err: new Error('boom') }, 'as an object');
      const text = out.join('');
      expect(text).toContain('one level down');
      for (const m of [top, nested, asObject]) expect(text).not.toContain(m);
      expect(text).toContain('[redacted]');
    },
  );

  it.each(['password', 'user'])("never writes a database connection's %s", (field) => {
    const { out, logger } = capture();
    const value = marker(field);
    logger.info({ connection: { host: 'db.example', [field]: value } }, 'connecting');
    const text = out.join('');
    expect(text).toContain('db.example');
    expect(text).not.toContain(value);
  });

  it.each(PERSONAL_FIELDS)('never writes %s bound to a child logger', (field) => {
    const { out, logger } = capture();
    const value = marker(field);
    logger.child({ [field]: value, runId: 'r1' }).info('bound');
    const text = out.join('');
    expect(text).toContain('"runId":"r1"');
    expect(text).not.toContain(value);
  });

  it('never writes a license holder, a source row or a platform payload met in a real call', () => {
    const { out, logger } = capture();
    const name = `测试${randomBytes(3).toString('hex')}`;
    const id = `37021119900101${randomBytes(2).readUInt16BE(0) % 10000}`.padEnd(18, '7');
    logger.warn(
      {
        pipeline: 'food',
        license: { number: 'JY1', holder: { name, idType: '111', id } },
        source: { row: { FDDBR: name, SFZH: id } },
        target: { payload: { czzt: name, czztdm: id } },
        connection: { user: name, password: id },
      },
      'deliver: rejected',
    );
    const text = out.join('');
    expect(text).toContain('deliver: rejected');
    expect(text).not.toContain(name);
    expect(text).not.toContain(id);
  });
});
