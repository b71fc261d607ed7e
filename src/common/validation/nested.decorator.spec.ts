import { IsNumber } from 'class-validator';
import { DomainError } from '../errors/domain.error.js';
import { NestedObject } from './nested.decorator.js';
import { createValidationPipe } from './validation.pipe.js';

class PointDto {
  @IsNumber()
  lat!: number;
}

class PlaceDto {
  @NestedObject(() => PointDto)
  location!: PointDto;

  @NestedObject(() => PointDto, { each: true })
  stops!: PointDto[];
}

async function detailsOf(body: unknown): Promise<unknown> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: PlaceDto });
  } catch (error) {
    return (error as DomainError).details;
  }
  throw new Error('expected the body to be refused');
}

describe(NestedObject.name, () => {
  it.each([[[]], [[{ lat: 1 }]], [[[]]], ['x'], [null], [7]])(
    'should refuse %p where an object belongs',
    async (location) => {
      const details = await detailsOf({ location, stops: [] });

      expect(details).toContainEqual({
        field: 'location',
        message: expect.stringContaining('location must be an object'),
      });
    },
  );

  it.each([[[[]]], [[[{ lat: 1 }]]], [[null]], [['x']]])(
    'should refuse each item %p of a list of objects that is not one',
    async (stops) => {
      const details = await detailsOf({ location: { lat: 1 }, stops });

      expect(details).toContainEqual({
        field: 'stops',
        message: expect.stringContaining('each value in stops must be an object'),
      });
    },
  );

  it('should still validate the nested fields', async () => {
    const details = await detailsOf({ location: { lat: 'north' }, stops: [{ lat: 1 }, {}] });

    expect(details).toEqual([
      { field: 'location.lat', message: expect.stringContaining('lat must be a number') },
      { field: 'stops.1.lat', message: expect.stringContaining('lat must be a number') },
    ]);
  });

  it('should pass objects through as instances of their class', async () => {
    const place = (await createValidationPipe().transform(
      { location: { lat: 1 }, stops: [{ lat: 2 }] },
      { type: 'body', metatype: PlaceDto },
    )) as PlaceDto;

    expect(place.location).toBeInstanceOf(PointDto);
    expect(place.stops[0]).toBeInstanceOf(PointDto);
  });
});
