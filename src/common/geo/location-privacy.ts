import type { LatLng } from './distance.js';

/**
 * What others may learn of a hidden position (a craftsman's home, an open job's address): the
 * cell of a fixed grid of about 1 km that holds it, and distances in 0.5 km steps measured from
 * that cell.
 *
 * - The grid is fixed and the answer deterministic: asking again returns the same cell, so
 *   repeated reads have nothing to average (random noise would average out).
 * - Distances, radius filters and the nearest-first order are all computed from the cell's
 *   centre, not from the position: rounding an exact distance alone still leaks it (move the
 *   search point until the rounded value flips, and that point is exactly on a step), and so
 *   would an exact radius filter (`radiusKm=0.1`) or an exact order (against a craftsman of
 *   one's own at a known place). From the cell's centre, all of them reveal the cell and no more.
 */

/** Rows of the grid are 0.01° of latitude high: 1.11 km. */
const CELL_DEGREES_LAT = 0.01;
/** At least how far the centre of its cell can be from a position (half the diagonal, 0.79 km). */
export const CELL_MARGIN_KM = 1;
/** Distances shown to others are multiples of this. */
export const DISTANCE_STEP_KM = 0.5;

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The centre of the grid cell holding `point`. Cells are 0.01° of latitude high and, in each
 * row, as many degrees of longitude wide as make about the same 1.11 km at that row's latitude.
 */
export function gridCellOf(point: LatLng): LatLng {
  const row = Math.floor((point.lat + 90) / CELL_DEGREES_LAT);
  const lat = Math.min(90, -90 + (row + 0.5) * CELL_DEGREES_LAT);
  const cellDegreesLng = Math.min(360, CELL_DEGREES_LAT / Math.max(Math.cos(radians(lat)), 0.01));
  const column = Math.floor((point.lng + 180) / cellDegreesLng);
  const lng = Math.min(180, -180 + (column + 0.5) * cellDegreesLng);
  return { lat: round6(lat), lng: round6(lng) };
}

/**
 * A distance as others are told it: rounded up to the next 0.5 km, at least 0.5 ("within
 * 0.5 km"). Up rather than to the nearest: the number is a bound the reader can rely on, never
 * nearer than the truth (of the cell's centre).
 */
export function coarseDistanceKm(km: number): number {
  return Math.max(DISTANCE_STEP_KM, Math.ceil(km / DISTANCE_STEP_KM - 1e-9) * DISTANCE_STEP_KM);
}
