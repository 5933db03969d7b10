/**
 * `connection.tls` of an Oracle front database: the rules every Oracle connection follows
 * (core/oracle-tls.ts: a TCPS address, a PEM wallet of the client's certificate, its key and the
 * CAs, and what node-oracledb thin mode cannot honour), named for the target.
 */
import {
  oracleAddressProblem as addressProblem,
  type OracleConnectionName,
  oracleConnectionTls,
  oracleWalletProblem,
} from '../../../core/oracle-tls.js';
import type { TlsSettings } from '../../../core/tls.js';
import type { TlsConnectionKeys } from '../../../core/tls-drivers.js';

const named = (target: string): OracleConnectionName => ({
  label: `target ${target}`,
  on: 'an Oracle front database',
  context: { target },
});

/** Why `tls` cannot be honoured on an Oracle front database (and the key to name), or undefined. */
export function oracleTlsProblem(
  target: string,
  tls: TlsSettings | undefined,
): { key: 'ca' | 'cert'; message: string } | undefined {
  return oracleWalletProblem(named(target), tls);
}

/** Why the target's TCPS address cannot be built, or its written `connectString` does not speak TCPS. */
export function oracleAddressProblem(
  target: string,
  c: Readonly<Record<string, unknown>> | undefined,
): { key: 'host' | 'database' | 'connectString'; message: string } | undefined {
  return addressProblem(`target ${target}`, c);
}

/** The driver options of `tls` for an Oracle front database at `c` (host, port, database, connectString). */
export function oracleFrontDbTls(
  target: string,
  c: Readonly<Record<string, unknown>>,
  keys: TlsConnectionKeys,
  driverThin: boolean,
): Record<string, unknown> {
  return oracleConnectionTls(named(target), c, keys, driverThin);
}
