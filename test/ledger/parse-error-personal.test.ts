/**
 * A stored text that does not parse as JSON fails without quoting it. V8's SyntaxError quotes the
 * text around an unexpected token, and a wrapping error keeps that SyntaxError as its cause, which
 * pino writes into a log line: a holder's name or ID number in a payload, a lineage's source key or
 * a simulator's stored license would be logged with it. Nothing of the text may be in the error,
 * its cause chain or its log line; the message still names what failed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { readSimulatorState } from '../../adapters/simulators/province/state-db.js';
import { createLogger } from '../../core/logger.js';
import { parseJson } from '../../ledger/db.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';
import { wrapLedgerError } from '../../ledger/sql-errors.js';
import { splitVersion } from '../../ledger/version-context.js';
import {
  expectNothingPersonal,
  HOLDER_ID as ID,
  HOLDER_NAME as NAME,
  ownProperties,
  rejectionOf,
  thrownBy,
} from '../support/unquoted-failures.js';
import { versionRow } from './fixtures.js';

const row = (payload: string, lineage = '{"k":"1"}'): VersionRow => versionRow({ payload, lineage });

/** What a pino logger writes for the error: with its standard serializers, and with licbridge's. */
function logged(e: Error): string {
  let out = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const std = pino(
    { serializers: { err: pino.stdSerializers.err, withCause: pino.stdSerializers.errWithCause } },
    sink,
  );
  std.error({ err: e, withCause: e }, 'failed');
  createLogger({ destination: sink, level: 'info' }).error({ err: e }, 'failed');
  return out;
}

function expectNothingOfTheText(e: Error): void {
  expectNothingPersonal(`${ownProperties(e)}\n${logged(e)}`);
}

describe('a stored JSON text that does not parse', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('fails a version payload without its text, naming the version and the column', () => {
    const version = toVersion(row(`{"holder":{"name":${NAME},"id":"${ID}"}}`));
    const e = thrownBy(() => version.payload);
    expect(e.message).toBe('ledger: the payload of version 9 does not read: SyntaxError');
    expect((e.cause as Error).message).toMatch(/^JSON text of \d+ characters /);
    expectNothingOfTheText(e);
  });

  it('fails a version lineage without its text (a source key can be an ID number)', () => {
    const version = toVersion(row('{"number":"N1"}', `{"s":"src","k":'${ID}'}`));
    const e = thrownBy(() => version.lineage);
    expect(e.message).toBe('ledger: the lineage of version 9 does not read: SyntaxError');
    expectNothingOfTheText(e);
  });

  it('fails a ledger read parsing a payload without its text, in its message or cause', () => {
    const e = wrapLedgerError(
      'predecessors',
      thrownBy(() => parseJson(`["${ID}",x]`)),
    );
    expect(e.message).toMatch(/^ledger: predecessors failed: JSON text of 24 characters /);
    expectNothingOfTheText(e);
  });

  it('keeps the position the parser names', () => {
    const e = thrownBy(() => parseJson(`{"name":"${NAME}" "id":"${ID}"}`));
    expect(e).toBeInstanceOf(SyntaxError);
    expect(e.message).toBe('JSON text of 41 characters fails at position 15');
    expect(e.cause).toBeUndefined();
  });

  it('fails splitting a version to write without its lineage text', () => {
    const e = thrownBy(() => splitVersion('{}', {} as never, `{"k":${NAME}}`));
    expectNothingOfTheText(e);
  });

  it('fails reading a simulator state file without its licenses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-state-'));
    dirs.push(dir);
    const file = join(dir, 'state.json');
    await writeFile(file, `{"format":1,"entries":[{"license":{"czzt":${NAME},"czztdm":"${ID}"}}]}`);
    const e = await rejectionOf(readSimulatorState(file));
    expect(e.message).toContain('is not JSON');
    expectNothingOfTheText(e);
  });
});
