/**
 * A lookup (`GET <url>/licenses/<id>`) answered 404 means "the platform holds no such license" only
 * when the 404 is the platform's own not-found answer (`{"code":404,"reason":"not-found"}`, its code
 * a number or its digits). A gateway's 404 for a route it does not know (an HTML page, a JSON
 * error of another shape) says nothing of the license: read as absent, every license of a check
 * was `missing-at-platform` and a repair re-delivered them all. It fails the lookup, naming the
 * target, the status and the content type, never the body.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { restTargetAnswering } from './lookup-stand-in.js';
import type { ScriptedReply } from './scripted-server.js';

const answering = restTargetAnswering();

async function lookupAnswered(reply: ScriptedReply) {
  const { target } = await answering(() => reply);
  return target.lookup(['lic-000001']);
}

describe('a lookup answered 404', () => {
  for (const [label, code] of [
    ['a number', 404],
    ['its digits', '404'],
  ] as const) {
    it(`is an absent license when it is the platform's not-found answer (code as ${label})`, async () => {
      expect(await lookupAnswered({ status: 404, body: { code, reason: 'not-found' } })).toEqual([]);
    });
  }

  it("is a lookup error for a gateway's HTML page, naming status and content type, not the body", async () => {
    const e = await licbridgeFailure(
      lookupAnswered({
        status: 404,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<html><body>404 Not Found: /licenses/lic-000001 张三 370211199001011234</body></html>',
      }),
    );
    expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
    expect(e.message).toContain('target province: lookup failed');
    expect(e.message).toContain('HTTP 404');
    expect(e.message).toContain('text/html');
    for (const s of ['张三', '370211199001011234', 'Not Found']) expect(e.message).not.toContain(s);
    expect(e.context).toMatchObject({ target: 'province', status: 404, contentType: 'text/html' });
  });

  for (const [label, body] of [
    ['a JSON error of another shape', { timestamp: '2026-01-01', status: 404, error: 'Not Found' }],
    ['a code 404 with another reason', { code: 404, reason: 'no-route' }],
    ['an empty body', ''],
  ] as const) {
    it(`is a lookup error for ${label}`, async () => {
      const e = await licbridgeFailure(lookupAnswered({ status: 404, body }));
      expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
      expect(e.message).toMatch(/target province: lookup failed: .*HTTP 404 .*application\/json/);
    });
  }
});
