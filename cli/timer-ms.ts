/**
 * The longest time a Node timer holds, ms (2^31 - 1, about 24.8 days): a longer one fires after
 * 1 ms instead, with no more than a warning. An option of milliseconds that becomes a timer is held
 * to it: `worker --schedule-check 3000000000` looked for schedules every millisecond.
 */
export const MAX_TIMER_MS = 2_147_483_647;
