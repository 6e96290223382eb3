/** Money is integer cents; VAT rates are basis points (2000 = 20 %). No floats cross this module. */

export const FRENCH_VAT_RATES_BP = [2000, 1000, 550, 210, 0] as const;

/** Rounds a rational amount a/b of cents half away from zero, in integers only. */
export function divRound(numerator: number, denominator: number): number {
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = Math.abs(numerator);
  const d = Math.abs(denominator);
  return sign * Math.floor((2 * n + d) / (2 * d));
}

/** VAT on a base at a rate in basis points, rounded to the cent. */
export const vatOf = (baseCents: number, rateBp: number): number => divRound(baseCents * rateBp, 10_000);

/** Formats cents as French euros: 1234567 -> "12 345,67 €". */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${sign}${euros},${String(abs % 100).padStart(2, '0')} €`;
}

/** Formats a rate in basis points: 550 -> "5,5 %". */
export function formatRate(rateBp: number): string {
  const whole = Math.floor(rateBp / 100);
  const frac = rateBp % 100;
  return `${whole}${frac ? ',' + String(frac).padStart(2, '0').replace(/0$/, '') : ''} %`;
}
