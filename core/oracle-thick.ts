/**
 * node-oracledb's thick mode (Oracle Instant Client), which Oracle 11g needs (thin mode refuses
 * servers before 12.1). It is the driver's, for the whole process: once started, every Oracle
 * connection of the process is thick, whichever source or front database asked for it; and it can
 * no longer start once a thin connection has been made (NJS-118). One start for every Oracle
 * connection (a source's dialect, a front database's driver connection).
 */
import { createRequire } from 'node:module';

interface OracledbModes {
  readonly thin?: boolean;
  initOracleClient(options: { libDir?: string }): void;
}

const driver = (): OracledbModes => createRequire(import.meta.url)('oracledb') as OracledbModes;

/**
 * Whether node-oracledb is in thin mode now: thick mode is the whole process's once a connection
 * with `connection.thickMode: true` has started it, whichever connection asks next.
 */
export function oracleDriverThin(): boolean {
  return driver().thin !== false;
}

let started = false;

/**
 * Starts thick mode with the Instant Client in `libDir` (or on the system library path), once per
 * process; throws the driver's error when the library cannot be loaded or a thin connection was
 * made first, for the caller to name its connection.
 */
export function startOracleThickMode(libDir: string | undefined): void {
  if (started) return;
  driver().initOracleClient(libDir ? { libDir } : {});
  started = true;
}
