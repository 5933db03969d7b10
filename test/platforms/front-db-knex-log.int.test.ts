/**
 * knex prints its own notices with console.log, uncoloured or coloured, stack and all: every
 * connection its pool fails to make or hand out (`Acquire connection error: Error: connect
 * ECONNREFUSED 127.0.0.1:… at …`, once per statement waiting under pool pressure), every
 * connection it drops for a failure (`Connection Error: …`). A worker's stdout, one JSON line a
 * record, had such lines between them, past the logger's redaction. They now go through the
 * target's logger, one line of knex's text, at debug: the failure they tell of is the send's own,
 * reported once by the deliver stage.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { lineLogger } from '../support/log-lines.js';
import { closedPort } from '../support/refused-front-db.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('front-db: what knex says goes through the logger', () => {
  it.each([
    ['postgres', 'postgres'],
    ['mysql', 'root'],
  ] as const)(
    '%s refusing the connection: nothing on the console, one debug line a notice',
    async (client, user) => {
      const printed: unknown[][] = [];
      for (const method of ['log', 'warn', 'error', 'info', 'debug'] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          printed.push(args);
        });
      }
      const { logger, lines } = lineLogger('debug');
      const connection = { host: '127.0.0.1', port: await closedPort(), user, database: 'test' };
      const target = new FrontDbTarget('city', frontDbConfig(client, { connection }, 'UP_LIC_DATA'), {
        logger,
      });
      try {
        await expect(target.deliver([deliveryItem(1, { target: 'city' })])).rejects.toThrow(/failed/);
      } finally {
        await target.close();
      }
      expect(printed).toEqual([]);
      const knexLines = lines
        .map((l) => JSON.parse(l) as { level: number; msg: string; target?: string; detail?: string })
        .filter((l) => l.msg === 'target city: knex notice');
      expect(knexLines.length).toBeGreaterThan(0);
      for (const l of knexLines) {
        expect(l).toMatchObject({ level: 20, target: 'city' });
        expect(l.detail).toMatch(/^Acquire connection error: /);
        // One line of knex's text: no stack.
        expect(l.detail).not.toContain('\n');
      }
    },
  );
});
