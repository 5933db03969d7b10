/**
 * The `calendar` section (working days: public holidays and adjusted working weekends) and the
 * `deadlines` section (the rules' clocks that `licbridge status` watches). See docs/lifecycle.md.
 */
import { closed, int, type Schema, YEAR_PATTERN } from './builders.js';

const DATE_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

const dayList = (description: string): Schema => ({
  type: 'array',
  description,
  default: [],
  uniqueItems: true,
  items: { type: 'string', description: 'A day, `YYYY-MM-DD`.', pattern: DATE_PATTERN },
});

const year = closed(
  "One year's arrangement, as the State Council General Office's notice on that year's holidays gives it.",
  {
    holidays: dayList(
      'Days off, `YYYY-MM-DD`: every day of each holiday block, weekend days included, e.g. `2026-02-15` … `2026-02-23`.',
    ),
    workdays: dayList(
      'Adjusted working weekends (调休上班): Saturdays or Sundays that are working days, e.g. `2026-02-14`.',
    ),
    source: {
      type: 'string',
      minLength: 1,
      description:
        'Where the days come from, e.g. the notice and its date, for whoever checks the days later.',
    },
  },
);

export const calendar: Schema = {
  ...closed(
    'Working days for the deadlines the rules count in working days. Days are calendar days in `lifecycle.timeZone`.',
    {
      shipped: {
        type: 'boolean',
        default: true,
        description:
          'Use the national arrangements licbridge ships (2026; docs/lifecycle.md lists each year and its notice). `false`: only the years below.',
      },
      years: {
        type: 'object',
        description:
          'Arrangements by year (`"2027": { holidays: […], workdays: […] }`). A year given here replaces the shipped one. A year known to neither counts Monday to Friday, and `licbridge status` says its arrangement is missing.',
        default: {},
        additionalProperties: false,
        patternProperties: { [YEAR_PATTERN]: year },
      },
    },
  ),
  default: {},
};

export const deadlines: Schema = {
  ...closed(
    'The clocks the rules set an issuing unit, watched by `licbridge status` (exit 3) and `/metrics`.',
    {
      backlogWorkingDays: int(
        'A new version (issue, revocation, update) not accepted by each of its pipeline’s targets within this many working days of the change being read is overdue (rules art. 10: 3 working days).',
        1,
        60,
        { default: 3 },
      ),
      objectionWorkingDays: int(
        'An objection (`licbridge objection open`) not resolved within this many working days is overdue (rules art. 16: 5 working days).',
        1,
        60,
        { default: 5 },
      ),
    },
  ),
  default: {},
};
