/** Calendar days `YYYY-MM-DD` (UTC), shared by the contract and warranty rules. */

export type IsoDate = string;

const DAY = 86_400_000;

export const isoDate = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);
export const dateMs = (date: IsoDate): number => Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
export const addDays = (date: IsoDate, days: number): IsoDate => isoDate(dateMs(date) + days * DAY);
export const daysBetween = (from: IsoDate, to: IsoDate): number => Math.round((dateMs(to) - dateMs(from)) / DAY);
export const minDate = (...dates: IsoDate[]): IsoDate => dates.reduce((a, b) => (a < b ? a : b));
export const maxDate = (...dates: IsoDate[]): IsoDate => dates.reduce((a, b) => (a > b ? a : b));
/** `15/03/2026`, as French documents write dates. */
export const frenchDate = (date: IsoDate): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** Adds calendar months, keeping the day where the month has it (31 Jan + 1 month = 28 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return isoDate(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, lastDay)));
}
