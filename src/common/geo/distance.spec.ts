import { boundingBox, distanceKm } from './distance.js';

const CAIRO_TOWER = { lat: 30.0459, lng: 31.2243 };
const GIZA_PYRAMIDS = { lat: 29.9792, lng: 31.1342 };

describe(distanceKm.name, () => {
  it('should measure Cairo Tower to the Giza pyramids as about 11.5 km', () => {
    expect(distanceKm(CAIRO_TOWER, GIZA_PYRAMIDS)).toBeCloseTo(11.5, 0);
  });

  it('should be zero for the same point and symmetric', () => {
    expect(distanceKm(CAIRO_TOWER, CAIRO_TOWER)).toBe(0);
    expect(distanceKm(CAIRO_TOWER, GIZA_PYRAMIDS)).toBeCloseTo(
      distanceKm(GIZA_PYRAMIDS, CAIRO_TOWER),
      9,
    );
  });
});

describe(boundingBox.name, () => {
  it('should contain every point of the circle', () => {
    const box = boundingBox(CAIRO_TOWER, 20);
    for (let bearing = 0; bearing < 360; bearing += 15) {
      const rad = (bearing * Math.PI) / 180;
      // a point ~19.9 km away in this direction
      const point = {
        lat: CAIRO_TOWER.lat + (19.9 / 111.32) * Math.cos(rad),
        lng:
          CAIRO_TOWER.lng +
          (19.9 / (111.32 * Math.cos((CAIRO_TOWER.lat * Math.PI) / 180))) * Math.sin(rad),
      };
      expect(distanceKm(CAIRO_TOWER, point)).toBeLessThan(20.1);
      expect(point.lat).toBeGreaterThanOrEqual(box.minLat);
      expect(point.lat).toBeLessThanOrEqual(box.maxLat);
      expect(point.lng).toBeGreaterThanOrEqual(box.minLng);
      expect(point.lng).toBeLessThanOrEqual(box.maxLng);
    }
  });

  it('should stay inside valid coordinates near the poles', () => {
    const box = boundingBox({ lat: 89.9, lng: 179.9 }, 50);
    expect(box.maxLat).toBeLessThanOrEqual(90);
    expect(box.maxLng).toBeLessThanOrEqual(180);
  });
});
