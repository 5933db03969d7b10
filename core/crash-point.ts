/**
 * A test hook for crash tests: with `LICBRIDGE_TEST_CRASH_AT=<point>:<n>` in its environment the
 * process kills itself with SIGKILL the n-th time it passes `crashPoint('<point>')`. A test then
 * crashes the CLI at an exact place (after page n is recorded) instead of polling the ledger from
 * outside and racing the process to it. Unset — always, outside tests — a pass costs one compare.
 *
 * Points: `sign-page-recorded` (pipelines/batch-sign/pass.ts, after a page of signatures is written);
 * `extract-page-committed` (pipelines/stages/extract.ts, after a page's versions are committed and
 * before their sign jobs are queued); `files-page-written` and `files-page-recorded`
 * (pipelines/issue-file-pages.ts, after a page of license files is in the store, before and
 * after the ledger records it); `reminder-answered` (pipelines/lifecycle/reminder-sender.ts, after the
 * gateway answered a reminder, before the ledger records it sent); `lifecycle-tick-recorded`
 * (pipelines/lifecycle/tick.ts, after the day's tick is recorded, before its versions are queued);
 * `objection-re-read` (pipelines/lifecycle/objection-uphold.ts, after an uphold's re-read, before
 * its decision is recorded).
 */
const spec = /^([a-z-]+):([1-9][0-9]*)$/.exec(process.env.LICBRIDGE_TEST_CRASH_AT ?? '');
const point = spec?.[1];
let left = Number(spec?.[2] ?? 0);

export function crashPoint(name: string): void {
  if (name !== point) return;
  left -= 1;
  // SIGKILL, not exit(): no handler, finally block or buffered write runs, as in a real crash.
  if (left === 0) process.kill(process.pid, 'SIGKILL');
}
