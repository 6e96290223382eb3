import { z } from 'zod';

/** No NUL or other control characters (they break PDFs, emails and logs). */
const printable = (s: string): boolean => [...s].every((c) => c >= ' ' && c !== '\u007f');

/** Trimmed single-line text of 1..max characters without control characters. */
export const plainText = (max: number) => z.string().trim().min(1).max(max).refine(printable, 'must not contain control characters');
