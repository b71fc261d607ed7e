import { Type } from 'class-transformer';
import { IsEmail, IsNumber, IsString, MinLength, ValidateNested } from 'class-validator';
import { DomainError } from '../errors/domain.error.js';
import { ErrorCode } from '../errors/error-code.js';
import { BadRequestException } from '@nestjs/common';
import { MAX_QUERY_PARAMETERS, createValidationPipe } from './validation.pipe.js';

class LocationDto {
  @IsNumber()
  lat!: number;

  @IsNumber()
  lng!: number;
}

class SignUpDto {
  @IsEmail()
  email!: string;

  @IsString()
  @MinLength(8)
  password!: string;

  @ValidateNested()
  @Type(() => LocationDto)
  location!: LocationDto;
}

async function validationErrorOf(body: unknown): Promise<DomainError> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: SignUpDto });
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the body to be refused');
}

describe(createValidationPipe.name, () => {
  it('should refuse with VALIDATION_FAILED and one detail per bad field', async () => {
    const error = await validationErrorOf({
      email: 'not-an-email',
      password: 'short',
      location: { lat: 'north', lng: 31.2 },
    });

    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details).toEqual([
      { field: 'email', message: 'email must be an email' },
      { field: 'password', message: 'password must be longer than or equal to 8 characters' },
      { field: 'location.lat', message: expect.stringContaining('lat must be a number') },
    ]);
  });

  it('should refuse fields the DTO does not declare', async () => {
    const error = await validationErrorOf({
      email: 'a@b.co',
      password: 'long enough',
      location: { lat: 1, lng: 2 },
      role: 'admin',
    });

    expect(error.details).toEqual([{ field: 'role', message: 'property role should not exist' }]);
  });

  it('should refuse a NUL character in any text, naming the field', async () => {
    const error = await validationErrorOf({
      email: 'a@b.co',
      password: 'long\u0000enough',
      location: { lat: 1, lng: 2 },
    });

    expect(error.details).toEqual([
      { field: 'password', message: 'password must not contain NUL characters' },
    ]);
  });

  it('should pass a good body through as an instance of the DTO', async () => {
    const body = await createValidationPipe().transform(
      { email: 'a@b.co', password: 'long enough', location: { lat: 1, lng: 2 } },
      { type: 'body', metatype: SignUpDto },
    );

    expect(body).toBeInstanceOf(SignUpDto);
    expect((body as SignUpDto).location).toBeInstanceOf(LocationDto);
  });

  it('should list at most 20 details however many fields are bad', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`k${i}`, 1]));

    const error = await validationErrorOf({ ...unknown, email: 'x' });

    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details).toHaveLength(20);
    expect(error.details).toContainEqual({
      field: 'k0',
      message: 'property k0 should not exist',
    });
  });

  it('should refuse a query of more parameters than any route takes, before validating them', async () => {
    const query = Object.fromEntries(
      Array.from({ length: MAX_QUERY_PARAMETERS - 1 }, (_, i) => [`k${i}`, 'x']),
    );
    const pipe = createValidationPipe();

    await expect(
      pipe.transform({ ...query, repeated: ['a', 'b'] }, { type: 'query', metatype: SignUpDto }),
    ).rejects.toThrow(new BadRequestException('The query string has more than 50 parameters'));
    await expect(
      pipe.transform({ ...query }, { type: 'query', metatype: SignUpDto }),
    ).rejects.toBeInstanceOf(DomainError);
  });
});
