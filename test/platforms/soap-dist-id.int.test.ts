/**
 * The city SOAP service receives a signature's distinguishing id in `lic:signature/distId`
 * when the signer used another id than GM/T 0009's default (it cannot compute Z otherwise), and
 * the record as before when it used the default.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { deliveryItem } from './license-fixture.js';
import type { ScriptedServer } from './scripted-server.js';
import { soapServiceAnswering, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a delivered SOAP record’s signature', () => {
  it('names a distinguishing id other than the default, and no default one', async () => {
    server = await soapServiceAnswering((keys) =>
      keys.map((key) => ({ key, status: 'accepted', platformId: null, errors: [], duplicate: false })),
    );
    const target = soapTarget(server.url, { batchSize: 10 });
    try {
      const plain = deliveryItem(1, { target: 'city' });
      const other = deliveryItem(2, { target: 'city' });
      other.signature = { ...other.signature, distId: 'ALICE123@YAHOO.COM' };
      const outcomes = await target.deliver([plain, other]);
      expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted']);

      const sent = parseEnvelope(server.seen[0]?.body ?? '');
      if (sent.kind !== 'submit') throw new Error(`expected a submit, got ${sent.kind}`);
      expect(sent.records.map((r) => r.signature)).toEqual([
        { ...plain.signature },
        { ...other.signature, distId: 'ALICE123@YAHOO.COM' },
      ]);
      expect(sent.records[0]?.signature).not.toHaveProperty('distId');
      expect(server.seen[0]?.body).toContain(
        '<sealId>seal-01</sealId><distId>ALICE123@YAHOO.COM</distId></lic:signature>',
      );
    } finally {
      await target.close();
    }
  });
});
