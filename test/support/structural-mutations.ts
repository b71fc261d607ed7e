/**
 * Structural mutations for the OpenAPI fuzzer (test/e2e/fuzz.e2e-spec.ts): a value of the wrong
 * JSON shape where a field of a known type belongs. `@ValidateNested()` without `@IsObject()`
 * let `{"location": []}` through to Mongoose (a 500), and `{"craftsmanInfo": []}` through as an
 * empty update (a 200): random wrong types rarely land such a value on a given field, so the
 * fuzzer tries each of these on every field of every body, and on every query parameter.
 */

/** The JSON type of a schema: `object`, `array`, `string`, `number`, `integer`, `boolean`, `any`. */
export type SchemaType = string;

export interface StructuralMutation {
  /** What the mutation is, e.g. `array of arrays`. */
  label: string;
  value: unknown;
  /** The value is of another JSON type than the field's: an answer below 300 accepted it. */
  mustRefuse: boolean;
}

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * The mutations of a field of type `type` whose valid value is `sample`: null, the empty object
 * and array, the sample wrapped in an array (an object or scalar in an array; for an array, an
 * array of arrays), an object in place of a scalar, an array of objects in place of an array.
 */
export function structuralMutations(type: SchemaType, sample: unknown): StructuralMutation[] {
  if (type === 'any') {
    return [];
  }
  const isArray = type === 'array';
  const isObject = type === 'object';
  const mutations: StructuralMutation[] = [
    { label: 'null', value: null, mustRefuse: false },
    { label: 'empty object', value: {}, mustRefuse: !isObject },
    { label: 'empty array', value: [], mustRefuse: !isArray },
    {
      label: isArray ? 'array of arrays' : `${isObject ? 'object' : 'value'} wrapped in an array`,
      value: [sample],
      mustRefuse: true,
    },
  ];
  if (isArray) {
    mutations.push({ label: 'array of empty arrays', value: [[]], mustRefuse: true });
  }
  if (isObject) {
    mutations.push({ label: 'array of empty objects', value: [{}], mustRefuse: true });
  }
  if (SCALARS.has(type)) {
    mutations.push({ label: 'object for a scalar', value: { value: sample }, mustRefuse: true });
  }
  return mutations;
}

/**
 * The same shapes in a query string, for a parameter `name` with a valid value `sample`: the
 * parameter repeated (the parser makes an array of it), and the bracket forms other parsers
 * read as arrays and objects (`name[]`, `name[a]`, `name[0][0]`). Only the repeat reaches the
 * parameter itself, so only it must be refused.
 */
export function structuralQueryMutations(
  name: string,
  sample: unknown,
): Array<{ label: string; entries: Array<[string, unknown]>; mustRefuse: boolean }> {
  return [
    {
      label: 'repeated',
      entries: [
        [name, sample],
        [name, sample],
      ],
      mustRefuse: true,
    },
    { label: 'empty', entries: [[name, '']], mustRefuse: false },
    { label: 'array syntax', entries: [[`${name}[]`, sample]], mustRefuse: false },
    { label: 'object syntax', entries: [[`${name}[a]`, sample]], mustRefuse: false },
    { label: 'array of arrays syntax', entries: [[`${name}[0][0]`, sample]], mustRefuse: false },
  ];
}
