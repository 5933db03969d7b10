/**
 * A MySQL or MariaDB front database reached with a `connection.charset` narrower than the server's
 * utf8mb4 (`utf8`, `gbk`, `latin1`): the session cannot carry a character that set lacks (a rare
 * character of a holder's name, 𠮷), so such a license's row was refused, or stored with `?` for it
 * and taken out again, and the delivery dead-lettered naming the table's column, which a person
 * widened or converted in vain. The config reference says such a setting is refused where the
 * server has utf8mb4: the target now refuses to open, naming the setting; utf8mb4 opens and
 * writes the character as it is.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem, sampleLicense } from './license-fixture.js';

const TABLE = 'UP_LIC_CHARSET';

describe('front-db target on MariaDB: a connection character set narrower than utf8mb4', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_front_charset', async (place) => {
    await cityExchangeTable(place.city, TABLE);
  });
  const target = (charset: string) =>
    scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('mysql', { connection: { ...scratch.place.connection, charset } }, TABLE),
      ),
    );

  it('refuses to open, naming the setting, before any license is written', async () => {
    const opened = await target('utf8')
      .refuseUnfitTable()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(opened).toBeInstanceOf(LicbridgeError);
    expect((opened as LicbridgeError).code).toBe(ErrorCodes.CONFIG_INVALID);
    expect((opened as LicbridgeError).message).toContain('target city: `connection.charset: utf8`');
    expect((opened as LicbridgeError).message).toContain('set it to `utf8mb4`');
  });

  it('with utf8mb4, writes a name holding a character past the Basic Multilingual Plane as it is', async () => {
    const t = target('utf8mb4');
    await t.refuseUnfitTable();
    const item = deliveryItem(1, {
      target: 'city',
      license: sampleLicense(1, { surface: { businessItems: ['𠮷野家'], address: '𠮷' } }),
    });
    const [out] = await t.deliver([item]);
    expect(out).toMatchObject({ state: 'accepted' });
    const [row] = await scratch.place.city(TABLE).select('PAYLOAD').where({ DELIVERY_KEY: item.key });
    expect(String(row?.PAYLOAD)).toContain('𠮷野家');
  });
});
