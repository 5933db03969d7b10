// The province simulator's side of license files: it keeps a file only when the bytes hash to the
// SM3 the item states, have the stated size and form an OFD package, whether they come as base64
// in the item or as a part of a multipart upload; anything else rejects the item with the reason.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { toBatchItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { deliveryItem } from './license-fixture.js';

/** A minimal OFD package naming license `identifier`, as licbridge's files do in OFD.xml. */
const ofdOf = (identifier: string): Buffer =>
  writeZip(
    [
      {
        name: 'OFD.xml',
        data: Buffer.from(
          `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.2" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:CustomDatas><ofd:CustomData Name="identifier">${identifier}</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
        ),
      },
    ],
    new Date('2026-01-02T03:04:05Z'),
  );
const sm3 = (b: Buffer) => createHash('sm3').update(b).digest('hex');

type Reply = { code: number; results?: { key: string; status: string; errors: string[] }[]; reason?: string };

describe('province simulator: license files', () => {
  let sim: ProvinceSimulator;
  let n = 0;
  beforeAll(async () => {
    sim = await startProvinceSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** A wire item of a fresh license, and a valid OFD package of that license. */
  const next = () => {
    n += 1;
    const wire = toBatchItem(deliveryItem(n));
    return { wire, ofd: ofdOf(wire.license.zzbs) };
  };
  const about = (ofd: Buffer, name = 'x.ofd') => ({ name, size: ofd.length, sm3: sm3(ofd) });

  async function postJson(items: unknown[]): Promise<Reply> {
    const res = await fetch(`${sim.url}/licenses/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    return (await res.json()) as Reply;
  }

  async function postForm(items: unknown[], parts: Record<string, Buffer>): Promise<Reply> {
    const form = new FormData();
    form.set('batch', new Blob([JSON.stringify({ items })], { type: 'application/json' }));
    for (const [name, bytes] of Object.entries(parts))
      form.set(name, new Blob([bytes], { type: 'application/ofd' }), `${name}.ofd`);
    const res = await fetch(`${sim.url}/licenses/batch`, { method: 'POST', body: form });
    return (await res.json()) as Reply;
  }

  it('keeps a base64 file whose SM3 and size are as stated, and shows it', async () => {
    const { wire, ofd } = next();
    const it1 = { ...wire, ofd: { ...about(ofd, 'a.ofd'), content: ofd.toString('base64') } };
    const reply = await postJson([it1]);
    expect(reply.results?.[0]).toMatchObject({ key: it1.key, status: 'accepted' });
    expect(sim.file(it1.key)?.equals(ofd)).toBe(true);
    expect(sim.licenses().find((l) => l.key === it1.key)?.file).toEqual({
      ...about(ofd, 'a.ofd'),
      via: 'base64',
    });
  });

  it('keeps a file sent as a part of a multipart upload (read by a client it did not write)', async () => {
    const { wire, ofd } = next();
    const it1 = { ...wire, ofd: { ...about(ofd), part: 'f1' } };
    const reply = await postForm([it1], { f1: ofd });
    expect(reply.results?.[0]).toMatchObject({ status: 'accepted' });
    expect(sim.file(it1.key)?.equals(ofd)).toBe(true);
    expect(sim.licenses().find((l) => l.key === it1.key)?.file?.via).toBe('multipart');
  });

  it('rejects an item whose file does not hash to the stated SM3, is no OFD, is not the stated size, is missing, or is of another license', async () => {
    const notOfd = Buffer.from('%PDF-1.7 not a package');
    const a = next();
    const changed = Buffer.from(a.ofd);
    changed[40] = (changed[40] as number) ^ 0xff;
    const b = next();
    const c = next();
    const d = next();
    const e = next();
    const stranger = ofdOf(`${e.wire.license.zzbs.slice(0, -5)}002.F`);
    const items = [
      { ...a.wire, ofd: { ...about(a.ofd), content: changed.toString('base64') } },
      { ...b.wire, ofd: { ...about(notOfd), content: notOfd.toString('base64') } },
      { ...c.wire, ofd: { ...about(c.ofd), size: c.ofd.length + 1, content: c.ofd.toString('base64') } },
      { ...d.wire, ofd: { ...about(d.ofd), part: 'nowhere' } },
      { ...e.wire, ofd: { ...about(stranger), content: stranger.toString('base64') } },
    ];
    const reply = await postJson(items);
    const errors = reply.results?.map((r) => (r.status === 'rejected' ? r.errors.join('; ') : r.status));
    expect(errors?.[0]).toContain('ofd.sm3: does not match the file received');
    expect(errors?.[1]).toContain('ofd: not an OFD package');
    expect(errors?.[2]).toContain(`ofd.size: says ${c.ofd.length + 1} bytes, the file has ${c.ofd.length}`);
    expect(errors?.[3]).toContain('ofd.part: no part named nowhere');
    expect(errors?.[4]).toBe(
      `ofd: the file is of license ${e.wire.license.zzbs.slice(0, -5)}002.F, the item of ${e.wire.license.zzbs}`,
    );
    for (const i of items) expect(sim.file(i.key)).toBeUndefined();
  });

  it('answers 400 to a multipart upload without its batch part', async () => {
    const form = new FormData();
    form.set('other', 'x');
    const res = await fetch(`${sim.url}/licenses/batch`, { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Reply).reason).toBe('bad-multipart');
  });
});
