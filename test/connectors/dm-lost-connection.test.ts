/**
 * A lost DM connection is told by the dmdb driver's `errCode`. The driver names the codes after
 * which it reconnects itself (DBError.isReconnectErrorCode: communication error, server mode
 * mismatch after a primary/standby switch, connection closed, the server's session limit, an
 * out-of-band receive) and those its reconnect throws (connection switched, switch failed). Only
 * three were mapped: a standby switch or a session the server dropped failed the read for good,
 * `query failed`, where it is a source to read again once it answers. The errors here are made by
 * the driver's own DBError factories, as it throws them.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { ErrorCodes } from '../../core/errors.js';

type Factory = (detail?: string) => Error & { errCode: number };
// dmdb ships its errors as a CommonJS class of factories, one per code.
const { DBError } = createRequire(import.meta.url)('dmdb/src/driver/error') as {
  DBError: Record<string, Factory> & { isReconnectErrorCode(code: number): boolean };
};

const LOST: [string, number][] = [
  ['ECJS_COMMUNICATION_ERROR', 6001],
  ['ECJS_CONNECTION_CLOSED', 6060],
  ['ECJS_INVALID_SERVER_MODE', 6091],
  ['EC_EXCEDD_MAX_SESSION_LIMIT', -6001],
  ['EC_RECV_OOB', -6007],
  ['ECJS_CONNECT_TIMEOUT', 20009],
  ['ECJS_CONNECTION_SWITCHED', 20013],
  ['ECJS_CONNECTION_SWITCH_FAILED', 20014],
];

describe('a lost DM connection, as the dmdb driver throws it', () => {
  it.each(LOST)('%s (%i) is an unreachable source, read again', (factory, code) => {
    const make = DBError[factory];
    if (!make) throw new Error(`dmdb has no ${factory}`);
    const error = make('socket closed by peer');
    expect(error.errCode).toBe(code);
    const mapped = dmDialect.classifyError(error, 'market');
    expect([mapped.code, mapped.retryable]).toEqual([ErrorCodes.SOURCE_UNREACHABLE, true]);
    expect(mapped.message).toMatch(/^source market: cannot reach the database: /);
    expect(mapped.context.driverCode).toBe(String(code));
  });

  it('every code the driver reconnects after is among them', () => {
    const reconnecting = LOST.map(([, code]) => code).filter((c) => DBError.isReconnectErrorCode(c));
    expect(reconnecting.sort((a, b) => a - b)).toEqual([-6007, -6001, 6001, 6060, 6091]);
  });

  it('a failed statement is not taken for a lost connection', () => {
    const make = DBError.ECJS_DATA_CONVERTION_ERROR;
    if (!make) throw new Error('dmdb has no ECJS_DATA_CONVERTION_ERROR');
    const mapped = dmDialect.classifyError(make(), 'market');
    expect([mapped.code, mapped.retryable]).toEqual([ErrorCodes.SOURCE_QUERY, false]);
  });
});
