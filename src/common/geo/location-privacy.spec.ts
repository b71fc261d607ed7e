import { distanceKm } from './distance.js';
import { CELL_MARGIN_KM, coarseDistanceKm, gridCellOf } from './location-privacy.js';

const CAIRO_TOWER = { lat: 30.0459, lng: 31.2243 };

describe(gridCellOf.name, () => {
  it('should give every point of a cell the same centre, however often asked', () => {
    const a = gridCellOf(CAIRO_TOWER);
    const b = gridCellOf({ lat: CAIRO_TOWER.lat + 0.003, lng: CAIRO_TOWER.lng + 0.004 });

    expect(a).toEqual(b);
    expect(gridCellOf(CAIRO_TOWER)).toEqual(a);
    expect(a).toEqual({ lat: 30.045, lng: expect.any(Number) });
  });

  it('should keep the centre within the margin of the position, and about 1 km from its neighbours', () => {
    for (let lat = 22; lat <= 32; lat += 0.137) {
      for (let lng = 25; lng <= 35; lng += 0.211) {
        const cell = gridCellOf({ lat, lng });
        expect(distanceKm({ lat, lng }, cell)).toBeLessThanOrEqual(CELL_MARGIN_KM);
      }
    }
    const east = gridCellOf({ lat: CAIRO_TOWER.lat, lng: CAIRO_TOWER.lng + 0.0116 });
    expect(distanceKm(gridCellOf(CAIRO_TOWER), east)).toBeCloseTo(1.11, 1);
  });

  it('should stay inside valid coordinates at the edges of the map', () => {
    for (const point of [
      { lat: 90, lng: 180 },
      { lat: -90, lng: -180 },
      { lat: 89.999, lng: 179.999 },
    ]) {
      const cell = gridCellOf(point);
      expect(Math.abs(cell.lat)).toBeLessThanOrEqual(90);
      expect(Math.abs(cell.lng)).toBeLessThanOrEqual(180);
    }
  });
});

describe(coarseDistanceKm.name, () => {
  it.each([
    [0, 0.5],
    [0.01, 0.5],
    [0.5, 0.5],
    [0.51, 1],
    [2.26, 2.5],
    [11.5, 11.5],
    [11.5000001, 12],
  ])('should show %p km as %p km', (km, shown) => {
    expect(coarseDistanceKm(km)).toBe(shown);
  });
});
