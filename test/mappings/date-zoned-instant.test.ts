/**
 * The `date` transform on driver dates. A zoned column (PostgreSQL timestamptz, SQL Server
 * datetimeoffset, Oracle TIMESTAMP WITH TIME ZONE) gives an instant: 2024-03-01 07:00+08 is the
 * Date 2024-02-29T23:00Z, and its UTC day put every issue time between 00:00 and 08:00 in Beijing
 * on the day before. A connector marks such a Date (core/local-date.ts zonedInstant); the transform
 * takes its day in the zone. Zone-less DATE/TIMESTAMP values (wall-clock fields in the UTC
 * fields) keep their day, whatever the hour.
 */
import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../../core/local-date.js';
import { compileMappingText } from '../../mappings/compile.js';
import { dateTransform } from '../../mappings/date-transform.js';

const issueDate = (value: Date, arg = '[yyyyMMdd]') => {
  const m = compileMappingText(
    `fields:\n  issueDate: { from: FZRQ, transform: [{ date: ${arg} }] }\n`,
    '/maps/m.yaml',
  );
  const r = m.map({ FZRQ: value }, { today: '2024-06-15' });
  return r.ok ? (r.fields as { issueDate?: unknown }).issueDate : r.reasons.map((x) => x.code);
};

describe('zoned instants take their calendar day in the zone', () => {
  it('2024-03-01 07:00+08 (2024-02-29T23:00Z) is issued on 2024-03-01', () => {
    expect(issueDate(zonedInstant(new Date('2024-02-29T23:00:00Z')))).toBe('2024-03-01');
  });

  it('every hour of a Beijing day maps to that day', () => {
    for (let h = 0; h < 24; h++) {
      const at = new Date(Date.UTC(2024, 2, 1, h - 8, 30));
      expect(issueDate(zonedInstant(at)), `${h}:30 Beijing`).toBe('2024-03-01');
    }
  });

  it('another zone when the mapping names one', () => {
    const at = zonedInstant(new Date('2024-03-01T03:00:00Z')); // 11:00 Beijing, 2024-02-29 22:00 in New York
    expect(issueDate(at, '{ formats: [yyyyMMdd], zone: America/New_York }')).toBe('2024-02-29');
    expect(issueDate(at)).toBe('2024-03-01');
  });

  it('an unknown zone is refused at compile time', () => {
    expect(dateTransform.compile({ formats: ['yyyyMMdd'], zone: 'Asia/Peking' })).toBe(
      'expected `zone` to be an IANA time zone such as Asia/Shanghai, got `Asia/Peking`, which this system does not know',
    );
    expect(dateTransform.compile({ formats: ['yyyyMMdd'], zone: 8 })).toBe(
      'expected `zone` to be an IANA time zone such as Asia/Shanghai, got `8` (number)',
    );
  });
});

describe('zone-less wall-clock dates are not shifted', () => {
  it('a DATE and a TIMESTAMP late in the day keep their stored day', () => {
    expect(issueDate(new Date('2024-03-01T00:00:00Z'))).toBe('2024-03-01');
    expect(issueDate(new Date('2024-03-01T23:59:59Z'))).toBe('2024-03-01');
    expect(issueDate(new Date('2024-02-29T23:00:00Z'))).toBe('2024-02-29');
  });
});
