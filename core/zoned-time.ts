/**
 * A schedule's time as a person reads it: on the clock its cron expression is read on
 * (`lifecycle.timeZone`), with the offset. Printed as ISO in UTC, the next tick of `0 2 * * *` in
 * Beijing read `2026-12-03T18:00:00.000Z`, which looks like a schedule installed in the wrong zone.
 * `licbridge schedule`, `licbridge status` and the schedule problems all print through this one
 * function; their `--json` keeps UTC ISO. No imports: `status` loads it without the queue code.
 */

/**
 * `2026-12-04 02:00 +08:00`: the instant `iso` on the wall clock of `tz`, with its offset; seconds
 * only when the instant has them (a six-field expression's ticks); `-` for none.
 */
export function zonedTime(iso: string | null, tz: string): string {
  if (iso === null) return '-';
  const at = new Date(iso);
  // sv-SE writes `YYYY-MM-DD HH:mm:ss`, the ISO order.
  const wall = at.toLocaleString('sv-SE', { timeZone: tz });
  const offset = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  // `GMT+08:00`, or a bare `GMT` at offset zero.
  const plain = offset === undefined || offset === 'GMT' ? '+00:00' : offset.replace('GMT', '');
  return `${wall.endsWith(':00') ? wall.slice(0, -3) : wall} ${plain}`;
}
