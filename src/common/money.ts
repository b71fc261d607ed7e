/**
 * Money is an integer number of the smallest currency unit (piasters for EGP). The ceiling
 * (1,000,000.00) only refuses absurd values; no job on the marketplace comes near it.
 */
export const MAX_PRICE = 100_000_000;
