/**
 * Money is an integer number of the smallest currency unit (piasters for EGP). The ceiling
 * (1,000,000.00) only refuses absurd values; no job on the marketplace comes near it.
 */
export const MAX_PRICE = 100_000_000;

/** An amount of piastres as people read it: `EGP 123.45` (the sign dropped: words say which way). */
export function formatEgp(piastres = 0): string {
  return `EGP ${(Math.abs(piastres) / 100).toFixed(2)}`;
}
