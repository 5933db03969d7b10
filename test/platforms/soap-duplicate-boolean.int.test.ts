/**
 * `<duplicate>` is an `xs:boolean`, whose lexical forms are `true`, `false`, `1` and `0` (XML Schema
 * Part 2 §3.2.2); services built on a schema binding that writes booleans as digits answer a key
 * they already hold with `<duplicate>1</duplicate>`. Only `true` was read: such a license was
 * recorded accepted outright, though the service still shows the version it held (a duplicate is
 * accepted in name only, and counted as owed until resent: docs/reconciliation.md).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { deliveryItem } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { CITY_NS, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A service answering every key accepted, its `<duplicate>` written as `flag`. */
async function answeringDuplicate(flag: string) {
  server = await startScriptedServer((_n, req) => {
    const keys = [...req.body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');
    const whole = resultsEnvelope(
      keys.map((key) => ({ key, status: 'accepted', platformId: 'CITY-0001', errors: [], duplicate: true })),
      CITY_NS,
      'SubmitLicenses',
    );
    return {
      status: 200,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: whole.replaceAll('<lic:duplicate>true</lic:duplicate>', `<lic:duplicate>${flag}</lic:duplicate>`),
    };
  });
  return soapTarget(server.url);
}

describe('a SOAP result’s <duplicate>', () => {
  it.each(['1', 'true', ' true '])('%j is a duplicate', async (flag) => {
    const target = await answeringDuplicate(flag);
    try {
      const [o] = await target.deliver([deliveryItem(1, { target: 'city' })]);
      expect(o).toMatchObject({ state: 'accepted', receipt: { duplicate: true } });
    } finally {
      await target.close();
    }
  });

  it.each(['0', 'false'])('%j is none', async (flag) => {
    const target = await answeringDuplicate(flag);
    try {
      const [o] = await target.deliver([deliveryItem(2, { target: 'city' })]);
      expect(o).toMatchObject({ state: 'accepted', receipt: { duplicate: false } });
    } finally {
      await target.close();
    }
  });
});
