/**
 * An uphold whose source's `readWindow` closes while it re-reads: the source stops reading at the
 * window's end, at a page boundary, as if the table ended there, so the corrected row may not have
 * been read. The uphold looked at the window only at its start, and then said the source row still
 * gave the objected content, sending the operator back to the department. It now stays open saying
 * the window closed during the re-read (`read-window-closed`). Needs Redis and the demo workspace.
 */
import { expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { ObjectionStaysOpen } from '../../pipelines/lifecycle/objection-uphold.js';
import { hostClock } from '../support/read-window.js';
import { objectionWorkspace, PIPELINE, upholdFailure } from './objection-fixture.js';

const demo = objectionWorkspace(10);

it('an uphold whose read window closes during its re-read stays open naming the window', async () => {
  const { license, objection } = await demo.objected({ notObjected: true });
  const source = demo.config.pipelines[PIPELINE]?.source as string;
  // Open from an hour ago to an hour ahead: the source reads every row now.
  const window = `${hostClock(-1)}-${hostClock(1)}`;
  const config = {
    ...demo.config,
    sources: { ...demo.config.sources, [source]: { ...demo.config.sources[source], readWindow: window } },
  } as Config;
  // The uphold's clock: inside the window when it starts, two hours on (closed) once it has re-read.
  let looks = 0;
  const now = () => new Date(Date.now() + (looks++ === 0 ? 0 : 2 * 3_600_000));
  const failure = await upholdFailure(config, objection.objectionId, '已更正', { now });
  expect(failure).toBeInstanceOf(ObjectionStaysOpen);
  const message = (failure as Error).message;
  expect(message).toContain(`readWindow \`${window}\``);
  expect(message).toContain('the window closed while the source was re-read');
  expect(message).not.toContain('still gives the content');
  const attempts = demo
    .audit(license.id)
    .filter((r) => r.action === 'objection-attempt')
    .map((r) => r.detail.result);
  expect(attempts).toEqual(['started', 'read-window-closed']);
});
