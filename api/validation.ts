import { z } from 'zod';

/** No NUL or other control characters (they break PDFs, emails and logs); `allowed` lists exceptions. */
const printable =
  (allowed = '') =>
  (s: string): boolean =>
    [...s].every((c) => (c >= ' ' && c !== '\u007f') || allowed.includes(c));

/** Trimmed single-line text of 1..max characters without control characters. */
export const plainText = (max: number) => z.string().trim().min(1).max(max).refine(printable(), 'must not contain control characters');

/** Trimmed text of 1..max characters that may span lines (reports, notes). */
export const multilineText = (max: number) =>
  z.string().trim().min(1).max(max).refine(printable('\n\r\t'), 'must not contain control characters other than line breaks and tabs');

/** Warehouse and van codes: MAIN, VAN-1A2B3C4D. */
export const warehouseCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'letters, digits, dash, underscore (max 32)');

/** An IANA time zone the runtime knows (Europe/Paris). */
export const timeZone = z
  .string()
  .max(50)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone (IANA name such as Europe/Paris)');

/** A calendar day `YYYY-MM-DD` that exists. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar day',
  );

/** An equipment or component serial number. */
export const serial = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, 'letters, digits, dot, dash, slash (max 64)');
