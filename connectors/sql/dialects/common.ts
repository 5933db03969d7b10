/** What the network dialects share: reading the `connection` block and the timeouts. */
import { withSourceDefaults } from '../../../config/source-defaults.js';
import type { SourceConfig } from '../../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import type { TlsSettings } from '../../../core/tls.js';

/**
 * The source's statement and connect timeouts, ms: a loaded config has them; one built in code
 * gets the schema's defaults (config/source-defaults.ts), so no dialect restates them.
 */
export function timeoutsOf(config: SourceConfig): { statementMs: number; connectMs: number } {
  const s = withSourceDefaults(config);
  return { statementMs: s.statementTimeoutMs, connectMs: s.connectTimeoutMs };
}

export interface NetworkConnection {
  host?: string;
  port?: string | number;
  database?: string;
  user?: string;
  password?: string;
  ssl?: boolean;
  tls?: TlsSettings;
  encrypt?: boolean;
  trustServerCertificate?: boolean;
  instanceName?: string;
  connectString?: string;
  charset?: string;
  thickMode?: boolean;
  libDir?: string;
}

/** The source's `connection` block, or a USAGE error naming the source when it is missing. */
export function connectionOf(name: string, config: SourceConfig): NetworkConnection {
  if (!config.connection) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `source ${name}: a ${config.kind} source needs \`connection\``,
      {
        context: { source: name },
      },
    );
  }
  return config.connection as NetworkConnection;
}

export function portOf(port: string | number | undefined, fallback: number): number {
  return port === undefined || port === '' ? fallback : Number(port);
}

/** A declared type safe to paste into a CAST (it comes from the catalog, but SQL is SQL). */
export function safeType(type: string): string | null {
  return /^[A-Za-z][A-Za-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$/.test(type) ? type : null;
}
