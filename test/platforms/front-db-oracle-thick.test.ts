/**
 * An Oracle front database with `connection.thickMode: true` (an 11g front database, which thin
 * mode refuses with NJS-138) starts node-oracledb's thick mode, as an Oracle source does
 * (core/oracle-thick.ts). The front database never started it: the documented setting was taken
 * and the connection went out in thin mode. No Oracle Instant Client is installed where the tests
 * run, so starting it fails, naming the target and the folder.
 */
import { describe, expect, it } from 'vitest';
import { driverConnection } from '../../adapters/platforms/front-db/front-db-driver.js';
import { LicbridgeError } from '../../core/errors.js';

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
