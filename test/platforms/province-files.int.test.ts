// The province simulator's side of license files: it keeps a file only when the bytes hash to the
// SM3 the item states, have the stated size and form an OFD package, whether they come as base64
// in the item or as a part of a multipart upload; anything else rejects the item with the reason.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { toBatchItem } from '../../adapters/platforms/rest-json/payload.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { deliveryItem } from './license-fixture.js';

const ofd = writeZip(
  [
    {
      name: 'OFD.xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.2" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
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

  /** A wire item of a fresh license with `file` under `ofd`. */
  const item = (file?: Record<string, unknown>) => {
    n += 1;
    return { ...toBatchItem(deliveryItem(n)), ...(file ? { ofd: file } : {}) };
  };

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
    const it1 = item({ name: 'a.ofd', size: ofd.length, sm3: sm3(ofd), content: ofd.toString('base64') });
    const reply = await postJson([it1]);
    expect(reply.results?.[0]).toMatchObject({ key: it1.key, status: 'accepted' });
    expect(sim.file(it1.key)?.equals(ofd)).toBe(true);
    expect(sim.licenses().find((l) => l.key === it1.key)?.file).toEqual({
      name: 'a.ofd',
      size: ofd.length,
      sm3: sm3(ofd),
      via: 'base64',
    });
  });

  it('keeps a file sent as a part of a multipart upload (read by a client it did not write)', async () => {
    const it1 = item({ name: 'b.ofd', size: ofd.length, sm3: sm3(ofd), part: 'f1' });
    const reply = await postForm([it1], { f1: ofd });
    expect(reply.results?.[0]).toMatchObject({ status: 'accepted' });
    expect(sim.file(it1.key)?.equals(ofd)).toBe(true);
    expect(sim.licenses().find((l) => l.key === it1.key)?.file?.via).toBe('multipart');
  });

  it('rejects an item whose file does not hash to the stated SM3, is not an OFD, or is not the stated size', async () => {
    const changed = Buffer.from(ofd);
    changed[40] = (changed[40] as number) ^ 0xff;
    const notOfd = Buffer.from('%PDF-1.7 not a package');
    const items = [
      item({ name: 'c.ofd', size: ofd.length, sm3: sm3(ofd), content: changed.toString('base64') }),
      item({ name: 'd.ofd', size: notOfd.length, sm3: sm3(notOfd), content: notOfd.toString('base64') }),
      item({ name: 'e.ofd', size: ofd.length + 1, sm3: sm3(ofd), content: ofd.toString('base64') }),
      item({ name: 'f.ofd', size: ofd.length, sm3: sm3(ofd), part: 'nowhere' }),
    ];
    const reply = await postJson(items);
    const errors = reply.results?.map((r) => (r.status === 'rejected' ? r.errors.join('; ') : r.status));
    expect(errors?.[0]).toContain('ofd.sm3: does not match the file received');
    expect(errors?.[1]).toContain('ofd: not an OFD package');
    expect(errors?.[2]).toContain(`ofd.size: says ${ofd.length + 1} bytes, the file has ${ofd.length}`);
    expect(errors?.[3]).toContain('ofd.part: no part named nowhere');
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
