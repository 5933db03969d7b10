/**
 * The simulated platform's reading of a `multipart/form-data` upload (RFC 7578): the parts by
 * form name. Written independently of the client's `file-wire.ts`, so a body the two sides would
 * only agree on by sharing code fails the tests instead.
 */

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  body: Buffer;
}

/** The boundary of a `multipart/form-data` content type, or undefined for any other type. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/** Every part of the body by name; undefined when the body is not well formed. */
export function readForm(body: Buffer, boundary: string): Map<string, FormPart> | undefined {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts = new Map<string, FormPart>();
  let at = body.indexOf(delimiter);
  if (at !== 0) return undefined;
  for (;;) {
    at += delimiter.length;
    // `--` after a delimiter closes the body.
    if (body.subarray(at, at + 2).toString('latin1') === '--') return parts;
    if (body.subarray(at, at + 2).toString('latin1') !== '\r\n') return undefined;
    const headEnd = body.indexOf('\r\n\r\n', at + 2, 'latin1');
    if (headEnd < 0) return undefined;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), delimiter]), headEnd + 4);
    if (next < 0) return undefined;
    const head = body.subarray(at + 2, headEnd).toString('utf8');
    const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined || parts.has(name)) return undefined;
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const contentType = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
    parts.set(name, {
      name,
      ...(filename !== undefined ? { filename } : {}),
      ...(contentType !== undefined ? { contentType } : {}),
      body: body.subarray(headEnd + 4, next),
    });
    at = next + 2;
  }
}
