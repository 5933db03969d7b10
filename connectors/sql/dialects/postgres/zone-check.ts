/**
 * The mappings' zone (`lifecycle.timeZone`) tried on the server when a connection is made. Each read
 * sets it as the session's TimeZone (dialect.ts `postgresRead`), and a name Node knows may be one
 * the server's time-zone data lacks: a PostgreSQL whose tzdata predates it (`Europe/Kyiv`, 2022b;
 * `America/Ciudad_Juarez`, 2022g), a KingbaseES. Every read then failed, page after page, with the
 * server's `invalid value for parameter "TimeZone"`; now the source fails once with what to change.
 */
import { ErrorCodes, LicbridgeError } from '../../../../core/errors.js';
import { DEFAULT_TIME_ZONE } from '../../../../core/local-date.js';
import type { PgClient } from '../../../../core/pg-query-bound.js';

/** SQLSTATE invalid_parameter_value: the server's answer to a zone its data lacks. */
const UNKNOWN_ZONE = '22023';

type Done = (err: Error | null, conn: unknown) => void;

/** The refusal as a configuration error naming the source, the setting and the fix; never a value read. */
export function unknownZoneProblem(source: string, zone: string, cause: unknown): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `source ${source}: the server does not know the time zone \`${zone}\` (\`lifecycle.timeZone\`), which every read sets as its TimeZone (SQLSTATE ${UNKNOWN_ZONE}): its time-zone data predates the name or lacks it. Set \`lifecycle.timeZone\` to a zone the server knows with the same offsets (Asia/Shanghai for China's time, Europe/Kiev for Europe/Kyiv), or update the server's time-zone data`,
    { retryable: false, context: { source, driverCode: UNKNOWN_ZONE }, cause },
  );
}

/**
 * A connection's set-up step trying `zone` (absent: the zone `postgresRead` sets, Asia/Shanghai) as TimeZone, until one connection of the source found
 * the server knows it; `done` as the pool's afterCreate takes it. set_config(…, true) outside a
 * transaction holds for that one statement only: the session keeps its own zone. A refusal ends the
 * connection (the pool does not, for a failed set-up) and fails its creation, so every read fails
 * with the problem until the server knows the zone, which a later connection sees.
 */
export function readZoneCheck(
  source: string,
  zone: string = DEFAULT_TIME_ZONE,
): (conn: PgClient, done: Done) => void {
  let known = false;
  return (conn, done) => {
    if (known) return done(null, conn);
    conn.query({ text: "SELECT set_config('TimeZone', $1, true)", values: [zone] }, (err: Error | null) => {
      if (!err) {
        known = true;
        return done(null, conn);
      }
      if (!conn.__knex__disposed) void conn.end().catch(() => undefined);
      const refused = (err as { code?: unknown }).code === UNKNOWN_ZONE;
      done(refused ? unknownZoneProblem(source, zone, err) : err, conn);
    });
  };
}
