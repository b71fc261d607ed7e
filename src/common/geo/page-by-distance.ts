import { paginated, type PageRequest, type Paginated, skipOf } from '../pagination/paginated.js';
import { boundingBox, type BoundingBox, distanceKm, type LatLng } from './distance.js';

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
  /** Kilometres from the centre, 2 decimals. */
  distanceKm: number;
}

/**
 * The requested page of the matches within `radiusKm` of `center`, nearest first (ties by id,
 * so pages are stable): a bounding-box query for positions, the exact distance here, and only
 * this page's rows loaded.
 */
export async function findNearby<T extends { id: string }>(
  center: LatLng,
  radiusKm: number,
  page: PageRequest,
  source: NearbySource<T>,
): Promise<Paginated<Nearby<T>>> {
  const candidates = await source.positionsIn(boundingBox(center, radiusKm));
  const inRange = candidates
    .map(({ id, location }) => ({ id, distanceKm: distanceKm(center, location) }))
    .filter((candidate) => candidate.distanceKm <= radiusKm)
    .sort((a, b) => a.distanceKm - b.distanceKm || a.id.localeCompare(b.id));
  const onPage = inRange.slice(skipOf(page), skipOf(page) + page.limit);
  const distances = new Map(
    onPage.map(({ id, distanceKm: km }) => [id, Math.round(km * 100) / 100]),
  );
  const rows = await source.findByIdsInOrder(onPage.map(({ id }) => id));
  return paginated(
    rows.map((found) => ({ found, distanceKm: distances.get(found.id)! })),
    inRange.length,
    page,
  );
}
