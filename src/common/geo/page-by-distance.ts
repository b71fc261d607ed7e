import { paginated, type PageRequest, type Paginated, skipOf } from '../pagination/paginated.js';
import { boundingBox, type BoundingBox, distanceKm, type LatLng } from './distance.js';
import { CELL_MARGIN_KM, coarseDistanceKm, gridCellOf } from './location-privacy.js';

export interface Positioned {
  id: string;
  location: LatLng;
}

/** Where a nearest-first page reads from: positions inside a box, then whole rows by id. */
export interface NearbySource<T> {
  /** Ids and positions of every match inside the box. */
  positionsIn(box: BoundingBox): Promise<Positioned[]>;
  /** The rows with these ids, in this order. */
  findByIdsInOrder(ids: string[]): Promise<T[]>;
}

export interface Nearby<T> {
  found: T;
  /** Kilometres from the centre: 2 decimals when `exact`, else in 0.5 km steps. */
  distanceKm: number;
}

/**
 * How much a nearest-first list may tell of where its matches are: `exact` for whoever may see
 * them anyway (their owner, staff); `coarse` for everyone else: the radius, the order and the
 * distances are all measured from the centre of each match's ~1 km grid cell
 * (location-privacy.ts), and distances shown in 0.5 km steps.
 */
export type DistancePrecision = 'exact' | 'coarse';

/**
 * The requested page of the matches within `radiusKm` of `center`, nearest first (ties by id,
 * so pages are stable): a bounding-box query for positions, the distance here, and only this
 * page's rows loaded.
 */
export async function findNearby<T extends { id: string }>(
  center: LatLng,
  radiusKm: number,
  page: PageRequest,
  source: NearbySource<T>,
  precision: DistancePrecision,
): Promise<Paginated<Nearby<T>>> {
  const coarse = precision === 'coarse';
  // a cell's centre may lie inside the radius while the position lies just outside it
  const candidates = await source.positionsIn(
    boundingBox(center, coarse ? radiusKm + CELL_MARGIN_KM : radiusKm),
  );
  const inRange = candidates
    .map(({ id, location }) => ({
      id,
      distanceKm: distanceKm(center, coarse ? gridCellOf(location) : location),
    }))
    .filter((candidate) => candidate.distanceKm <= radiusKm)
    .sort((a, b) => a.distanceKm - b.distanceKm || a.id.localeCompare(b.id));
  const onPage = inRange.slice(skipOf(page), skipOf(page) + page.limit);
  const shown = (km: number) => (coarse ? coarseDistanceKm(km) : Math.round(km * 100) / 100);
  const distances = new Map(onPage.map(({ id, distanceKm: km }) => [id, shown(km)]));
  const rows = await source.findByIdsInOrder(onPage.map(({ id }) => id));
  return paginated(
    rows.map((found) => ({ found, distanceKm: distances.get(found.id)! })),
    inRange.length,
    page,
  );
}
