/**
 * `tls.servername` on a MySQL or Oracle front database: their drivers check the server
 * certificate against the host only, so the setting is refused as the target opens, naming the
 * target, before any connection is tried (as for a source of those kinds).
 */
import { describe, expect, it } from 'vitest';
import { createTarget } from '../../adapters/platforms/create-target.js';

function frontDb(client: string) {
  return {
    kind: 'front-db',
    client,
    table: 'UP_LIC_DATA',
    dataSource: '11370211MB1234567X',
    connection: {
      // Nothing listens here: a target that tried to connect would fail otherwise.
      host: '127.0.0.1',
      port: 9,
      database: 'qz',
      user: 'front_writer',
      password: 'Pw-9f3kq!x',
      tls: { servername: 'front.city.example' },
    },
  };
}

describe('tls.servername of a front database', () => {
  it.each(['mysql', 'oracle'])(
    'a %s front database is refused as it opens, naming the target',
    async (client) => {
      const error = await createTarget('city', frontDb(client) as never).then(
        (t) => t.close().then(() => undefined),
        (e: Error) => e,
      );
      expect(error?.message).toMatch(
        /^target city \(front-db\): `tls\.servername` is not supported here: .*checks the server certificate against (`host`|the host) only/,
      );
      expect(error?.message).not.toContain('front_writer');
      expect(error?.message).not.toContain('Pw-9f3kq!x');
    },
  );
});
