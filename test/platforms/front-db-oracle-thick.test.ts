/**
 * An Oracle front database with `connection.thickMode: true` (an 11g front database, which thin
 * mode refuses with NJS-138) starts node-oracledb's thick mode, as an Oracle source does
 * (core/oracle-thick.ts). The front database never started it: the documented setting was taken
 * and the connection went out in thin mode. No Oracle Instant Client is installed where the tests
 * run, so starting it fails, naming the target and the folder; a send fails so too (its error was
 * wrapped as a write failure, `writing exchange table … failed (LB_TARGET_UNREACHABLE)`, which
 * said nothing of Instant Client).
 */
import { describe, expect, it } from 'vitest';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

describe('an Oracle front database in thick mode', () => {
  it('starts thick mode: without Instant Client, a target error naming the folder', () => {
    let error: unknown;
    try {
      driverConnection('city', 'oracle', {
        host: 'city.example',
        database: 'FRONT',
        thickMode: true,
        libDir: '/nonexistent/instantclient_11_2',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LicbridgeError);
    expect((error as LicbridgeError).code).toBe('LB_TARGET_UNREACHABLE');
    expect((error as LicbridgeError).message).toMatch(
      /^target city: cannot load Oracle Instant Client for thick mode from \/nonexistent\/instantclient_11_2: /,
    );
  });
});

describe('an Oracle front database in thick mode, without Instant Client, at a send', () => {
  // Its kind is `other`, not read from its words: a folder such as /opt/tls/… read `tls`.
  it('fails the send naming what is missing, not the bare code of an error of its own', async () => {
    const target = new FrontDbTarget(
      'city',
      frontDbConfig(
        'oracle',
        {
          connection: {
            host: 'city.example',
            database: 'FRONT',
            thickMode: true,
            libDir: '/nonexistent/tls/instantclient_11_2',
          },
        },
        'UP_LIC_DATA',
      ),
    );
    try {
      const error = await target.deliver([deliveryItem(1, { target: 'city' })]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LicbridgeError);
      const e = error as LicbridgeError;
      expect(e.message).toMatch(
        /^target city: cannot load Oracle Instant Client for thick mode from \/nonexistent\/tls\/instantclient_11_2: /,
      );
      expect(e.message).not.toContain('LB_TARGET_UNREACHABLE');
      expect(thrownAttemptReason(e)).toBe('other');
    } finally {
      await target.close();
    }
  });
});
