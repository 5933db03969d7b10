/**
 * Resident ID numbers (GB 11643) as the demo department's legacy systems hold them, and the
 * `yyyyMMdd` dates inside them; shared by the food-license and small-catering tables.
 */
import { AREA, type Draw } from './legacy-records.js';

/** GB 11643 check character over the first 17 digits (same as catalog's `residentIdCheckChar`). */
function idNumberCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (weights[i] ?? 0);
  return '10X98765432'.charAt(sum % 11);
}

export const ymd = (t: Date): string =>
  `${t.getUTCFullYear()}${String(t.getUTCMonth() + 1).padStart(2, '0')}${String(t.getUTCDate()).padStart(2, '0')}`;

/** A resident ID of the district: real birth date 1950–2000, valid check, ~3% with lowercase `x`. */
export function residentId(d: Draw): string {
  const lowercaseX = d.chance(0.03);
  for (;;) {
    const birth = new Date(Date.UTC(1950, 0, 1) + d.int(0, 18627) * 86_400_000); // to 2000-12-31
    const first17 = `${AREA}${ymd(birth)}${String(d.int(1, 999)).padStart(3, '0')}`;
    const check = idNumberCheck(first17);
    // Forcing an `X` check needs another draw of the sequence number; others keep the first.
    if (!lowercaseX) return first17 + check;
    if (check === 'X') return `${first17}x`;
  }
}
