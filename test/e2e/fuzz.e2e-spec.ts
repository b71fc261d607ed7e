import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { inviteCraftsman, postJob } from '../support/marketplace.js';
import {
  loginAsAdmin,
  newClient,
  newCraftsman,
  secretKeysIn,
  type Session,
  uniqueEmail,
} from '../support/session.js';
import { TestMailbox } from '../support/smtp.js';
import { structuralMutations, structuralQueryMutations } from '../support/structural-mutations.js';
import { MATRIX } from './authorization-matrix.table.js';
import { TEST_ADMIN, createTestApp, type TestApp } from '../support/test-app.js';
import { submitVerification } from '../support/uploads.js';

// Property-based fuzzing of every operation of the checked-in OpenAPI document: random actors,
// path parameters, query strings, headers and bodies (valid, wrong-typed, oversized, deeply
// nested, operator-injected, with unknown fields, malformed). Every answer must be < 500, in the
// error shape when >= 400, leak nothing internal, and come within 5 s; afterwards no collection
// may hold a half-written document or one with an object where a scalar belongs.
//
// Deterministic: one seed (FUZZ_SEED to change it, FUZZ_RUNS for the runs per operation); each
// operation's property gets a seed derived from it. fast-check prints `{ seed, path }` on failure;
// replay that counterexample with
//   FUZZ_REPLAY='<seed>:<path>' npm run jest -- test/e2e/fuzz.e2e-spec.ts -t '<METHOD> <path>'

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const RESPONSE_LIMIT_MS = 5000;
/** The client gives up after this: a hang, reported as such. */
const HANG_MS = 7000;
/** Bounds one operation's fuzzing, shrinking included (a failure found is still reported). */
const PER_OPERATION_MS = 45_000;
const REPLAY = (() => {
  const [seed, ...path] = (process.env.FUZZ_REPLAY ?? '').split(':');
  return seed ? { seed: Number(seed), path: path.join(':') } : undefined;
})();

fc.configureGlobal({ seed: SEED, numRuns: NUM_RUNS });

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

interface JsonSchema {
  $ref?: string;
  allOf?: JsonSchema[];
  type?: string;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  description?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationDoc {
  parameters?: Parameter[];
  responses?: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OperationDoc>>;
  components: { schemas: Record<string, JsonSchema> };
}

const DOC = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'),
) as OpenApiDocument;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

interface Operation {
  method: Method;
  path: string;
  key: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  headerParams: Parameter[];
  bodySchema?: JsonSchema;
  /** It documents a 501: a route not available yet (the wallet's top-up) answers so by design. */
  notImplemented: boolean;
}

const OPERATIONS: Operation[] = Object.entries(DOC.paths)
  .filter(([path]) => !path.startsWith('/api/docs'))
  .flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method): Operation => {
      const doc = item[method];
      const parameters = doc.parameters ?? [];
      const headers = parameters.filter((p) => p.in === 'header');
      return {
        method,
        path,
        key: `${method.toUpperCase()} ${path}`,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        // the same header may be listed under two spellings
        headerParams: headers.filter(
          (p, i) => headers.findIndex((q) => q.name.toLowerCase() === p.name.toLowerCase()) === i,
        ),
        bodySchema: doc.requestBody?.content['application/json']?.schema,
        notImplemented: doc.responses?.['501'] !== undefined,
      };
    }),
  );

/** Follows `$ref` and merges `allOf`. */
function resolve(schema: JsonSchema | undefined): JsonSchema {
  if (!schema) {
    return {};
  }
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return resolve(DOC.components.schemas[name]);
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    return allOf.reduce<JsonSchema>((merged, part) => ({ ...merged, ...resolve(part) }), rest);
  }
  return schema;
}

function typeOf(schema: JsonSchema): string {
  if (schema.type) {
    return schema.type;
  }
  if (schema.properties || schema.additionalProperties) {
    return 'object';
  }
  return 'any';
}

const NOTIFICATION_TYPES = (() => {
  const put = DOC.paths['/api/notifications/preferences']?.put;
  const description = put?.requestBody?.content['application/json']?.schema.description ?? '';
  return (description.split(':')[1] ?? '')
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
})();

// ---------------------------------------------------------------------------------------------
// Values realised only when a request is sent, so that counterexamples print short and
// fixtures can be re-created between operations
// ---------------------------------------------------------------------------------------------

type PoolName =
  | 'users'
  | 'craftsmen'
  | 'jobs'
  | 'quotes'
  | 'invitations'
  | 'conversations'
  | 'services'
  | 'serviceNames'
  | 'links'
  | 'linkTokens'
  | 'inviteTokens'
  | 'devices'
  | 'notifications'
  | 'emails';

/** A real id (or token, email...) of the fixtures, picked when the request is sent. */
class Ref {
  constructor(
    readonly pool: PoolName,
    readonly index: number,
  ) {}
  [fc.toStringMethod](): string {
    return `ref(${this.pool}#${this.index})`;
  }
}

/** `char` repeated `length` times. */
class Huge {
  constructor(
    readonly char: string,
    readonly length: number,
  ) {}
  [fc.toStringMethod](): string {
    return `huge(${JSON.stringify(this.char)} x ${this.length})`;
  }
}

/** An array of `length` copies of `item`. */
class HugeArray {
  constructor(
    readonly item: unknown,
    readonly length: number,
  ) {}
  [fc.toStringMethod](): string {
    return `hugeArray(${fc.stringify(this.item)} x ${this.length})`;
  }
}

/** An object with `keys` keys. */
class HugeObject {
  constructor(readonly keys: number) {}
  [fc.toStringMethod](): string {
    return `hugeObject(${this.keys} keys)`;
  }
}

/** `leaf` nested `depth` levels deep, in objects and arrays by turns. */
class Deep {
  constructor(
    readonly depth: number,
    readonly leaf: unknown,
  ) {}
  [fc.toStringMethod](): string {
    return `deep(${this.depth}, ${fc.stringify(this.leaf)})`;
  }
}

const pools: Record<PoolName, string[]> = {
  users: [],
  craftsmen: [],
  jobs: [],
  quotes: [],
  invitations: [],
  conversations: [],
  services: [],
  serviceNames: [],
  links: [],
  linkTokens: [],
  inviteTokens: [],
  devices: [],
  notifications: [],
  emails: [],
};

function pick(pool: PoolName, index: number): string {
  const values = pools[pool];
  return values.length === 0 ? '000000000000000000000000' : values[index % values.length];
}

function realize(value: unknown): unknown {
  if (value instanceof Ref) {
    return pick(value.pool, value.index);
  }
  if (value instanceof Huge) {
    return value.char.repeat(value.length);
  }
  if (value instanceof HugeArray) {
    const item = realize(value.item);
    return Array.from({ length: value.length }, () => item);
  }
  if (value instanceof HugeObject) {
    return Object.fromEntries(Array.from({ length: value.keys }, (_, i) => [`k${i}`, i]));
  }
  if (value instanceof Deep) {
    let nested = realize(value.leaf);
    for (let level = 0; level < value.depth; level += 1) {
      nested = level % 2 === 0 ? { a: nested } : [nested];
    }
    return nested;
  }
  if (Array.isArray(value)) {
    return value.map(realize);
  }
  if (value !== null && typeof value === 'object') {
    // fromEntries: a `__proto__` key stays an own property, and so reaches the JSON
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realize(v)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** What no answer may contain; generated input never contains it, so an echo is no excuse. */
const LEAK_MARKERS = /stack|node_modules|\.ts:|MongoServerError|E11000/i;
const FILE_PATH =
  /(?:^|[\s"'(=[])(?:\/(?:home|usr|work|tmp|var|opt|root|srv|app|src|dist)\/[^\s"']*|[A-Za-z]:\\[^\s"']+|file:\/\/\/\S+)|(?:\/[\w.@-]+){2,}\.(?:ts|js|mjs|cjs):\d+/;

function clean(text: string): boolean {
  return !LEAK_MARKERS.test(text) && !FILE_PATH.test(text);
}

const NASTY_STRINGS = [
  '',
  ' ',
  '   padded   ',
  '\u0000',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  'NaN',
  'Infinity',
  '1e309',
  '😀🔥',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'İstanbul ß ﬁ',
  '\u202eevil',
  'line\r\nbreak',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '{"$gt": ""}',
  '$where',
  '$gt',
  'a.b',
  '(a+)+$',
  '.*',
  '[',
  '\\',
  '%00',
  '../../etc/passwd',
  '\ud800',
  'ObjectId("000000000000000000000000")',
];

const anyString: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  )
  .filter(clean);

const hex24 = fc.stringMatching(/^[0-9a-f]{24}$/);

const malformedId = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    'null',
    'undefined',
    'abc',
    'aaaaaaaaaaaa', // 12 characters: mongoose would take it for an ObjectId
    '000000000000000000000000',
    'ffffffffffffffffffffffff',
    'FFFFFFFFFFFFFFFFFFFFFFFF',
    'zzzzzzzzzzzzzzzzzzzzzzzz',
    '65a1b2c3d4e5f60718293a4',
    '65a1b2c3d4e5f60718293a4b0',
    ' 65a1b2c3d4e5f60718293a4b',
    '65a1b2c3d4e5f60718293a4b\n',
    '{"$gt":""}',
    '[object Object]',
  ),
  hex24.map((id) => `${id}x`),
  hex24.map((id) => id.slice(1)),
);

interface Segment {
  /** Sent without percent-encoding. */
  raw?: string;
  value?: unknown;
}

function pathParamArb(pool: PoolName | undefined): fc.Arbitrary<Segment> {
  const options: Array<fc.WeightedArbitrary<Segment>> = [
    { weight: 2, arbitrary: hex24.map((value) => ({ value })) },
    { weight: 2, arbitrary: malformedId.map((value) => ({ value })) },
    { weight: 1, arbitrary: anyString.map((value) => ({ value })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('a', '0', 'é', '😀'), fc.constantFrom(99, 101, 1000, 5000))
        .map(([char, length]) => ({ value: new Huge(char, length) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('%', '%zz', '%ff%fe', '%00', '%2e%2e', '..', '.', '%2F', '%252F', '%E2%80%AE')
        .map((raw) => ({ raw })),
    },
  ];
  if (pool) {
    options.push({ weight: 4, arbitrary: fc.nat().map((i) => ({ value: new Ref(pool, i) })) });
  }
  return fc.oneof(...options);
}

function poolOfPathParam(path: string, name: string): PoolName | undefined {
  switch (name) {
    case 'jobId':
      return 'jobs';
    case 'quoteId':
      return 'quotes';
    case 'userId':
      return 'users';
    case 'linkId':
      return 'links';
    case 'token':
      if (path.startsWith('/api/invite-links')) {
        return 'linkTokens';
      }
      return path.includes('/devices/') ? 'devices' : 'inviteTokens';
    case 'id':
      if (path.startsWith('/api/services')) {
        return 'services';
      }
      if (path.startsWith('/api/conversations')) {
        return 'conversations';
      }
      if (path.startsWith('/api/admin/verifications')) {
        return 'craftsmen';
      }
      return path.startsWith('/api/invitations') ? 'invitations' : undefined;
    default:
      return undefined;
  }
}

// --- query strings -------------------------------------------------------------------------

type QueryEntry = [string, unknown];

const wrongQueryScalar = fc.oneof(
  fc.constantFrom(
    '',
    'abc',
    '1.5',
    '-0',
    '-1',
    '0',
    '1e400',
    'NaN',
    'Infinity',
    '0x1f',
    ' 7 ',
    'true',
    'TRUE',
    '1',
    'yes',
    '[]',
    '{}',
    'null',
    '9007199254740993',
  ),
  anyString,
);

function numberBounds(name: string, schema: JsonSchema): [number, number] {
  if (name === 'lat') {
    return [-90, 90];
  }
  if (name === 'lng') {
    return [-180, 180];
  }
  return [schema.minimum ?? -1000, schema.maximum ?? 1000];
}

/** A value the parameter's schema allows, its bounds included. */
function rightQueryScalar(name: string, schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) {
    return fc.constantFrom(...schema.enum);
  }
  if (name === 'jobId') {
    return fc.oneof(
      fc.nat().map((i) => new Ref('jobs', i)),
      hex24,
    );
  }
  switch (typeOf(schema)) {
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'number': {
      const [min, max] = numberBounds(name, schema);
      const integers = fc.oneof(
        fc.constantFrom(Math.ceil(min), Math.floor(max)),
        fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
      );
      // page and limit are counts; coordinates and distances take fractions
      return ['lat', 'lng', 'radiusKm'].includes(name)
        ? fc.oneof(integers, fc.double({ min, max, noNaN: true })).map(String)
        : integers.map(String);
    }
    default: {
      const maxLength = schema.maxLength ?? 60;
      return fc.oneof(
        fc.constantFrom('a', 'Al', 'plumb', 'Plumbing', 'Mona', 'Karim', 'example.com'),
        fc.nat().map((i) => new Ref('serviceNames', i)),
        anyString,
        fc.constant(new Huge('a', maxLength)),
      );
    }
  }
}

/** Just outside what the parameter's schema allows. */
function outOfBoundsQueryScalar(name: string, schema: JsonSchema): fc.Arbitrary<unknown> {
  if (typeOf(schema) === 'number') {
    const [min, max] = numberBounds(name, schema);
    return fc.constantFrom(min - 1, max + 1, min - 1e-9, max + 1e-9).map(String);
  }
  return fc.constant(new Huge('a', (schema.maxLength ?? 60) + 1));
}

const OPERATOR_SUFFIXES = [
  '[]',
  '[0]',
  '[$gt]',
  '[$ne]',
  '[$regex]',
  '[$where]',
  '[$exists]',
  '[$in][]',
  '.$gt',
  '[__proto__]',
  '[constructor][prototype]',
];

function queryParamArb(param: Parameter): fc.Arbitrary<QueryEntry[]> {
  const name = param.name;
  const right = rightQueryScalar(name, resolve(param.schema));
  const wrong = fc.oneof(wrongQueryScalar, outOfBoundsQueryScalar(name, resolve(param.schema)));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<QueryEntry[]>([]) },
    { weight: 5, arbitrary: right.map((v): QueryEntry[] => [[name, v]]) },
    { weight: 2, arbitrary: wrong.map((v): QueryEntry[] => [[name, v]]) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.oneof(right, wrongQueryScalar), { minLength: 2, maxLength: 3 })
        .map((values) => values.map((v): QueryEntry => [name, v])),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...OPERATOR_SUFFIXES),
          fc.oneof(right, fc.constantFrom('', '.*', 'sleep(100)', 'true', '1')),
        )
        .map(([suffix, v]): QueryEntry[] => [[name + suffix, v]]),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('a', '%', '😀', '.*'), fc.constantFrom(1000, 2500))
        .map(([char, length]): QueryEntry[] => [[name, new Huge(char, length)]]),
    },
  );
}

const unknownQueryArb: fc.Arbitrary<QueryEntry[]> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<QueryEntry[]>([]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('sort', 'where', '$where', 'filter[role]', 'page[$gt]', '__proto__', 'x'),
        wrongQueryScalar,
      )
      .map(([k, v]): QueryEntry[] => [[k, v]]),
  },
);

/** Each parameter absent or right: what a well-behaved app sends. */
function validQueryArb(op: Operation): fc.Arbitrary<QueryEntry[]> {
  const entries = fc
    .tuple(
      ...op.queryParams.map((param) =>
        fc.option(
          rightQueryScalar(param.name, resolve(param.schema)).map((v): QueryEntry => [
            param.name,
            v,
          ]),
          { nil: undefined },
        ),
      ),
    )
    .map((list) => list.filter((entry): entry is QueryEntry => entry !== undefined));
  // a position is both coordinates or neither
  return entries.map((list) => {
    const named = (name: string) => list.some(([key]) => key === name);
    return named('lat') && named('lng')
      ? list
      : list.filter(([key]) => !['lat', 'lng', 'radiusKm'].includes(key));
  });
}

function queryArb(op: Operation): fc.Arbitrary<QueryEntry[]> {
  return fc
    .tuple(fc.tuple(...op.queryParams.map(queryParamArb)), unknownQueryArb)
    .map(([entries, unknown]) => [...entries.flat(), ...unknown]);
}

// --- bodies --------------------------------------------------------------------------------

const EMAILS = fc
  .oneof(
    fc.emailAddress().filter((email) => email.length <= 254),
    fc.constantFrom(
      'UPPER.Case@Example.COM',
      '  spaced@example.com  ',
      'a@b.co',
      'nobody@example.com',
    ),
    fc.nat().map((i) => new Ref('emails', i)),
  )
  .filter((email) => typeof email !== 'string' || clean(email));

const URLS = fc
  .oneof(
    fc.webUrl({ size: 'small' }),
    fc.constantFrom('https://cdn.example.com/a.png', 'http://localhost/x', 'ftp://example.com/f'),
  )
  .filter(clean);

function exactString(length: number): fc.Arbitrary<unknown> {
  return fc.constantFrom('a', 'é', 'Z').map((char) => new Huge(char, length));
}

function validString(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  if (schema.enum) {
    return fc.constantFrom(...schema.enum);
  }
  if (schema.format === 'email' || name === 'email' || name === 'emails') {
    return EMAILS;
  }
  if (schema.format === 'uri') {
    return URLS;
  }
  switch (name) {
    case 'phone':
      return fc.oneof(
        fc.stringMatching(/^\+?[0-9]{8,14}$/),
        fc.constantFrom('+20 100-123 4567', '(02) 1234.5678', '+', '123'),
      );
    case 'craftsmanId':
    case 'craftsmanIds':
      return fc.oneof(
        fc.nat().map((i) => new Ref('craftsmen', i)),
        hex24,
        malformedId,
      );
    case 'ids':
      return fc.oneof(
        fc.nat().map((i) => new Ref('notifications', i)),
        hex24,
        malformedId,
      );
    case 'category':
    case 'skills':
      return fc.oneof(
        fc.nat().map((i) => new Ref('serviceNames', i)),
        anyString,
      );
    case 'token':
    case 'inviteToken':
      return fc.oneof(
        fc.nat().map((i) => new Ref('inviteTokens', i)),
        fc.string({ minLength: 10, maxLength: 60 }).filter(clean),
      );
    case 'loginIdentifier':
      return fc.oneof(EMAILS, fc.stringMatching(/^\+?[0-9]{8,14}$/));
    default:
      break;
  }
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 200;
  const options: Array<fc.Arbitrary<unknown>> = [
    fc.string({ minLength: min, maxLength: Math.min(max, min + 30) }).filter(clean),
    fc
      .string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, min + 8) })
      .filter(clean),
    exactString(max),
  ];
  if (min > 0) {
    options.push(exactString(min));
  }
  return fc.oneof(...options);
}

function validNumber(schema: JsonSchema, name: string): fc.Arbitrary<unknown> {
  const [min, max] = numberBounds(name, schema);
  return fc.oneof(
    fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(min, max),
  );
}

/** Values the schema allows (and its boundaries), keyed towards the fixtures where it helps. */
function validValue(
  schemaOrRef: JsonSchema | undefined,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(schemaOrRef);
  switch (typeOf(schema)) {
    case 'string':
      return validString(schema, name);
    case 'number':
    case 'integer':
      return validNumber(schema, name);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = validValue(schema.items, name, depth + 1);
      const minLength = schema.minItems ?? 0;
      const arrays = [fc.array(item, { minLength, maxLength: Math.max(minLength, 4) })];
      if (schema.maxItems !== undefined) {
        arrays.push(fc.array(item, { minLength: schema.maxItems, maxLength: schema.maxItems }));
      }
      return fc.oneof({ weight: 4, arbitrary: arrays[0] }, ...arrays.slice(1));
    }
    case 'object': {
      if (schema.properties) {
        const record = Object.fromEntries(
          Object.entries(schema.properties).map(([key, property]) => [
            key,
            validValue(property, key, depth + 1),
          ]),
        );
        return fc.record(record, { requiredKeys: schema.required ?? [] });
      }
      if (typeof schema.additionalProperties === 'object') {
        const keys =
          NOTIFICATION_TYPES.length > 0 && name === ''
            ? fc.constantFrom(...NOTIFICATION_TYPES)
            : anyString;
        return fc.dictionary(keys, validValue(schema.additionalProperties, '', depth + 1), {
          maxKeys: 4,
        });
      }
      return fc.constant({});
    }
    default:
      return fc.jsonValue({ maxDepth: 2 }).filter((v) => clean(JSON.stringify(v) ?? ''));
  }
}

interface FieldPath {
  path: string[];
  schema: JsonSchema;
  required: boolean;
}

/** Every place in a body of this schema that can be replaced, the root included. */
function fieldPaths(schemaOrRef: JsonSchema | undefined, prefix: string[] = []): FieldPath[] {
  const schema = resolve(schemaOrRef);
  const here: FieldPath[] = [{ path: prefix, schema, required: true }];
  if (prefix.length > 6) {
    return here;
  }
  if (schema.properties) {
    return [
      ...here,
      ...Object.entries(schema.properties).flatMap(([key, property]) =>
        fieldPaths(property, [...prefix, key]).map((field, i) =>
          i === 0 ? { ...field, required: (schema.required ?? []).includes(key) } : field,
        ),
      ),
    ];
  }
  if (typeof schema.additionalProperties === 'object') {
    return [
      ...here,
      ...fieldPaths(schema.additionalProperties, [...prefix, NOTIFICATION_TYPES[0] ?? 'k']),
    ];
  }
  if (typeOf(schema) === 'array' && schema.items) {
    return [...here, ...fieldPaths(schema.items, [...prefix, '0'])];
  }
  return here;
}

/** A copy of `value` with `replacement` at `path` (`undefined`: removed). */
function withPath(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) {
    return replacement;
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const index = Number(head);
    copy[index] = withPath(copy[index], rest, replacement);
    return replacement === undefined && rest.length === 0
      ? copy.filter((_, i) => i !== index)
      : copy;
  }
  const base =
    value !== null && typeof value === 'object' && !(value instanceof Ref)
      ? { ...(value as Record<string, unknown>) }
      : /^\d+$/.test(head)
        ? []
        : {};
  if (Array.isArray(base)) {
    return [withPath(undefined, rest, replacement)];
  }
  const next = withPath(base[head], rest, replacement);
  if (next === undefined) {
    delete base[head];
  } else {
    // defined, not assigned: a `__proto__` key must become an own property
    Object.defineProperty(base, head, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return base;
}

const OPERATOR_VALUES: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(100)' },
  { $where: 'function () { return true; }' },
  { $regex: '.*' },
  { $exists: true },
  { $in: [] },
  { $nin: [''] },
  { $expr: { $eq: [1, 1] } },
  { $set: { role: 'admin' } },
  { 'a.b': 1 },
  { $oid: '000000000000000000000000' },
  { $date: '2020-01-01T00:00:00Z' },
  ['$gt', ''],
];

const EXTRA_KEYS = [
  'unknownField',
  'id',
  '_id',
  '__v',
  'role',
  'status',
  'passwordHash',
  'tokensValidAfter',
  'createdAt',
  'client',
  'craftsman',
  '$set',
  '$where',
  '$gt',
  'a.b',
  'location.lat',
  'craftsmanInfo.verificationStatus',
  '__proto__',
  'constructor',
  'prototype',
  '',
  '😀',
];

function wrongTypeArb(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = typeOf(schema);
  const candidates: Array<[string, fc.Arbitrary<unknown>]> = [
    ['string', fc.constantFrom('', 'x', '123', 'true', 'null', '2020-01-01')],
    ['number', fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2)],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.constantFrom([], ['a'], [1, 2], [null], [{}])],
    [
      'object',
      fc.constantFrom({}, { a: 1 }, { toString: 'x' }, { valueOf: 1 }, { length: 5 }, { lat: 'x' }),
    ],
  ];
  const others = candidates.filter(
    ([kind]) => kind !== type && !(kind === 'number' && type === 'integer'),
  );
  return fc.oneof(...others.map(([, arbitrary]) => arbitrary));
}

function oversizedArb(schema: JsonSchema): fc.Arbitrary<unknown> {
  const type = typeOf(schema);
  const chars = fc.constantFrom('a', 'é', '😀', ' ', '0');
  const lengths = [10_000, 300_000, 1_200_000];
  if (schema.maxLength !== undefined) {
    lengths.unshift(schema.maxLength + 1);
  }
  const hugeString = fc
    .tuple(chars, fc.constantFrom(...lengths))
    .map(([char, length]) => new Huge(char, length));
  if (type === 'array') {
    const itemLengths = [1000, 100_000];
    if (schema.maxItems !== undefined) {
      itemLengths.unshift(schema.maxItems + 1);
    }
    return fc
      .tuple(validValue(schema.items), fc.constantFrom(...itemLengths))
      .map(([item, length]) => new HugeArray(item, length));
  }
  if (type === 'number' || type === 'integer') {
    return fc.oneof(
      fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -(2 ** 53 + 1), 5e-324, -0),
      hugeString,
    );
  }
  if (type === 'object') {
    return fc.oneof(
      fc.constantFrom(100, 20_000).map((keys) => new HugeObject(keys)),
      hugeString,
    );
  }
  return hugeString;
}

const MALFORMED_JSON = [
  '',
  ' ',
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[1,2',
  'nul',
  'undefined',
  'NaN',
  '{"a":NaN}',
  '{"a":1}}',
  '{"a":1}garbage',
  '\u0000',
  '\ufeff{}',
  '{"a":"\\u00"}',
  '{"a":1e999999}',
  '{"a":01}',
  '"just a string"',
  '123',
  'true',
  'null',
  '[]',
  '[{}]',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":{"$gt":""}}',
  '{"\\u0000":1}',
];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----fuzz',
  'application/xml',
  'application/octet-stream',
  'json',
];

interface Body {
  kind:
    | 'none'
    | 'valid'
    | 'wrongType'
    | 'missing'
    | 'null'
    | 'oversized'
    | 'deep'
    | 'operator'
    | 'extra'
    | 'malformed'
    | 'edge'
    | 'structural';
  /** Where the mutation went. */
  at?: string;
  json?: unknown;
  raw?: string;
  contentType?: string;
}

const malformedBodyArb: fc.Arbitrary<Body> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...MALFORMED_JSON), fc.constantFrom(...CONTENT_TYPES.slice(0, 4)))
    .map(([raw, contentType]): Body => ({ kind: 'malformed', raw, contentType })),
  fc
    .tuple(
      fc.oneof(fc.constantFrom('{"a":1}', 'a=1&b=2', '<a>1</a>', '\u00ff\u00fe'), anyString),
      fc.constantFrom(...CONTENT_TYPES),
    )
    .map(([raw, contentType]): Body => ({ kind: 'malformed', raw, contentType })),
);

/**
 * A valid body with optional fields set to null (all of them, or some): null passes
 * `@IsOptional()`, so it reaches the handler, as it does when an app "clears" a field.
 */
function nullsBodyArb(schemaOrRef: JsonSchema): fc.Arbitrary<Body> | undefined {
  const optional = fieldPaths(schemaOrRef).filter(
    (field) => field.path.length > 0 && !field.required,
  );
  if (optional.length === 0) {
    return undefined;
  }
  // each field nulled 3 times in 4; shrinking un-nulls them one by one
  const nulled = fc
    .tuple(...optional.map(() => fc.integer({ min: 0, max: 3 }).map((n) => n > 0)))
    .map((mask) => optional.filter((_, i) => mask[i]))
    .filter((fields) => fields.length > 0);
  return fc.tuple(validValue(schemaOrRef), nulled).map(([body, fields]): Body => ({
    kind: 'null',
    at: fields.map((field) => field.path.join('.')).join(', '),
    json: fields.reduce((json, field) => withPath(json, field.path, null), body),
  }));
}

function bodyArb(schemaOrRef: JsonSchema | undefined, method: Method): fc.Arbitrary<Body> {
  if (!schemaOrRef) {
    const stray = fc.oneof(
      fc.constantFrom({}, { a: 1 }, { $where: 'sleep(100)' }, []),
      fc.dictionary(fc.constantFrom(...EXTRA_KEYS), fc.constantFrom(1, 'x', null, { $gt: '' }), {
        maxKeys: 2,
      }),
    );
    return fc.oneof(
      {
        weight: method === 'get' || method === 'delete' ? 12 : 5,
        arbitrary: fc.constant<Body>({ kind: 'none' }),
      },
      { weight: 1, arbitrary: stray.map((json): Body => ({ kind: 'extra', json })) },
      { weight: 1, arbitrary: malformedBodyArb },
    );
  }
  const schema = resolve(schemaOrRef);
  const valid = validValue(schema);
  const fields = fieldPaths(schema);
  const optionalOrNested = fields.filter((field) => field.path.length > 0);
  const objects = fields.filter((field) => typeOf(field.schema) === 'object');
  const at = (path: string[]) => (path.length === 0 ? '(root)' : path.join('.'));
  const replaced = (kind: Body['kind'], replacement: (field: FieldPath) => fc.Arbitrary<unknown>) =>
    fc.constantFrom(...fields).chain((field) =>
      fc.tuple(valid, replacement(field)).map(([body, value]): Body => ({
        kind,
        at: at(field.path),
        json: withPath(body, field.path, value),
      })),
    );
  const options: Array<fc.WeightedArbitrary<Body>> = [
    { weight: 6, arbitrary: valid.map((json): Body => ({ kind: 'valid', json })) },
    { weight: 2, arbitrary: replaced('wrongType', (field) => wrongTypeArb(field.schema)) },
    { weight: 1, arbitrary: replaced('oversized', (field) => oversizedArb(field.schema)) },
    {
      weight: 1,
      arbitrary: replaced('deep', () =>
        fc
          .tuple(fc.constantFrom(8, 64, 512, 4000), fc.constantFrom('x', 1, { $gt: '' }, null))
          .map(([depth, leaf]) => new Deep(depth, leaf)),
      ),
    },
    { weight: 2, arbitrary: replaced('operator', () => fc.constantFrom(...OPERATOR_VALUES)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom(...objects),
          fc.constantFrom(...EXTRA_KEYS),
          fc.constantFrom('x', 1, true, null, { $gt: '' }, { polluted: true }, ['a']),
        )
        .map(([body, object, key, value]): Body => {
          const target = object.path.length === 0 ? body : undefined;
          const json =
            object.path.length === 0
              ? { ...(target as Record<string, unknown>), [key]: value }
              : withPath(body, [...object.path, key], value);
          return { kind: 'extra', at: at([...object.path, key]), json };
        }),
    },
    { weight: 1, arbitrary: malformedBodyArb },
  ];
  if (optionalOrNested.length > 0) {
    options.push({
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...optionalOrNested))
        .map(([body, field]): Body => ({
          kind: 'missing',
          at: at(field.path),
          json: withPath(body, field.path, undefined),
        })),
    });
  }
  const nulls = nullsBodyArb(schema);
  if (nulls) {
    options.push({ weight: 3, arbitrary: nulls });
  }
  return fc.oneof(...options);
}

// --- whole requests ------------------------------------------------------------------------

type Actor = 'client' | 'craftsman' | 'admin' | 'none' | 'forged';

interface FuzzRequest {
  actor: Actor;
  params: Segment[];
  query: QueryEntry[];
  headers: Array<[string, string]>;
  body: Body;
  /** A value of the wrong JSON shape this request carries: an answer below 300 accepted it. */
  mustRefuse?: string;
}

const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]{1,40}$/),
  fc.constantFrom('', ' ', 'a'.repeat(200), 'a'.repeat(201), 'a'.repeat(6000), '$gt', 'a.b'),
);

function plausibleBodyArb(schema: JsonSchema | undefined): fc.Arbitrary<Body> {
  if (!schema) {
    return fc.constant<Body>({ kind: 'none' });
  }
  const valid = validValue(schema).map((json): Body => ({ kind: 'valid', json }));
  const nulls = nullsBodyArb(schema);
  return nulls ? fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: nulls }) : valid;
}

/**
 * Two thirds wild (every part fuzzed on its own), one third plausible (real ids, a valid query
 * and body, a signed-in actor), so that the handlers' success paths get fuzzed too.
 */
function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
  const headers = fc
    .tuple(
      ...op.headerParams.map((p) =>
        fc.option(
          headerValue.map((v): [string, string] => [p.name, v]),
          { nil: undefined },
        ),
      ),
    )
    .map((list) => list.filter((h): h is [string, string] => h !== undefined));
  const wild = fc.record({
    actor: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom<Actor>('client', 'craftsman', 'admin') },
      { weight: 1, arbitrary: fc.constantFrom<Actor>('none', 'forged') },
    ),
    params: fc.tuple(...op.pathParams.map((p) => pathParamArb(poolOfPathParam(op.path, p.name)))),
    query: queryArb(op),
    headers,
    body: bodyArb(op.bodySchema, op.method),
  });
  const plausible = fc.record({
    actor: fc.constantFrom<Actor>('client', 'craftsman', 'admin'),
    params: fc.tuple(
      ...op.pathParams.map((p): fc.Arbitrary<Segment> => {
        const pool = poolOfPathParam(op.path, p.name);
        return pool
          ? fc.nat().map((i) => ({ value: new Ref(pool, i) }))
          : hex24.map((value) => ({ value }));
      }),
    ),
    query: validQueryArb(op),
    headers,
    body: plausibleBodyArb(op.bodySchema),
  });
  return fc.oneof({ weight: 2, arbitrary: wild }, { weight: 1, arbitrary: plausible });
}

// --- edge cases tried first, every run ---------------------------------------------------

/**
 * Strings that break what is built from input (a regex, a BSON key, a C string), put into every
 * free-text query parameter and body field in turn, by each actor: a few random runs would
 * rarely land one of them on a given field.
 */
const EDGE_STRINGS = ['\u0000', '[', '\\'];

function requiredOnly(schemaOrRef: JsonSchema | undefined): JsonSchema {
  const schema = resolve(schemaOrRef);
  if (schema.properties) {
    const required = schema.required ?? [];
    return {
      ...schema,
      properties: Object.fromEntries(
        Object.entries(schema.properties)
          .filter(([key]) => required.includes(key))
          .map(([key, property]) => [key, requiredOnly(property)]),
      ),
    };
  }
  return schema;
}

function isFreeText(schema: JsonSchema): boolean {
  return typeOf(schema) === 'string' && !schema.enum && schema.format === undefined;
}

function edgeExamples(op: Operation): FuzzRequest[] {
  const params = op.pathParams.map((p): Segment => {
    const pool = poolOfPathParam(op.path, p.name);
    return { value: pool ? new Ref(pool, 0) : '000000000000000000000000' };
  });
  const base = op.bodySchema
    ? fc.sample(validValue(requiredOnly(op.bodySchema)), { seed: fc.hash(op.key), numRuns: 1 })[0]
    : undefined;
  const baseBody: Body = base === undefined ? { kind: 'none' } : { kind: 'valid', json: base };
  const queryFields = op.queryParams.filter(
    (param) => isFreeText(resolve(param.schema)) && param.name !== 'jobId',
  );
  const bodyFields = op.bodySchema
    ? fieldPaths(op.bodySchema).filter((field) => field.path.length > 0 && isFreeText(field.schema))
    : [];
  return (['client', 'craftsman', 'admin'] as const).flatMap((actor) =>
    EDGE_STRINGS.flatMap((edge) => [
      ...queryFields.map((param): FuzzRequest => ({
        actor,
        params,
        query: [[param.name, edge]],
        headers: [],
        body: baseBody,
      })),
      ...bodyFields.map((field): FuzzRequest => ({
        actor,
        params,
        query: [],
        headers: [],
        body: { kind: 'edge', at: field.path.join('.'), json: withPath(base, field.path, edge) },
      })),
    ]),
  );
}

// --- structural mutations tried first, every run -----------------------------------------

/** How many fixture values (`Ref`s) a generated value uses. */
function refCount(value: unknown): number {
  if (value instanceof Ref) {
    return 1;
  }
  if (value === null || typeof value !== 'object') {
    return 0;
  }
  return Object.values(value).reduce<number>((count, item) => count + refCount(item), 0);
}

/** One value of the schema, the same every run; of a few samples, the one most made of fixtures. */
function sampleOf(schema: JsonSchema, key: string): unknown {
  const samples = fc.sample(validValue(schema), { seed: fc.hash(key), numRuns: 8 });
  return samples.reduce((best, sample) => (refCount(sample) > refCount(best) ? sample : best));
}

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (here, key) =>
      here !== null && typeof here === 'object' && !(here instanceof Ref)
        ? (here as Record<string, unknown>)[key]
        : undefined,
    value,
  );
}

/**
 * Who gets past a route's guards, from the authorization matrix: nobody needed on a public
 * route, else its signed-in actors (client and craftsman when everyone is let through).
 */
function actorsAllowed(op: Operation): Actor[] {
  const row = MATRIX.find((r) => r.method.toLowerCase() === op.method && r.path === op.path);
  if (!row) {
    return ['client', 'craftsman', 'admin'];
  }
  if (row.expect.anonymous === 'allow') {
    return ['none'];
  }
  const allowed = (['client', 'craftsman', 'admin'] as const).filter(
    (actor) => row.expect[actor] === 'allow',
  );
  return allowed.length === 3 ? ['client', 'craftsman'] : allowed;
}

/**
 * Every structural mutation (structural-mutations.ts) on every field of a valid body (only its
 * required fields, plus the mutated field's top-level parent, whole) and on every query
 * parameter, by each actor the route lets through: the body or query is otherwise right, so
 * the mutation is what the route has to deal with.
 */
function structuralExamples(op: Operation): FuzzRequest[] {
  const params = op.pathParams.map((p): Segment => {
    const pool = poolOfPathParam(op.path, p.name);
    return { value: pool ? new Ref(pool, 0) : '000000000000000000000000' };
  });
  const fields = op.bodySchema ? fieldPaths(op.bodySchema).filter((f) => f.path.length > 0) : [];
  const base = op.bodySchema ? sampleOf(requiredOnly(op.bodySchema), op.key) : undefined;
  const baseBody: Body = base === undefined ? { kind: 'none' } : { kind: 'valid', json: base };
  const bodies = fields.flatMap((field): Array<{ body: Body; mustRefuse?: string }> => {
    const top = field.path.slice(0, 1);
    const parent = fields.find((f) => f.path.length === 1 && f.path[0] === top[0]);
    const whole =
      field.path.length > 1 && valueAt(base, top) === undefined && parent
        ? withPath(base, top, sampleOf(parent.schema, `${op.key} ${top[0]}`))
        : base;
    const at = field.path.join('.');
    const sample = valueAt(whole, field.path) ?? sampleOf(field.schema, `${op.key} ${at}`);
    return structuralMutations(typeOf(field.schema), sample).map((mutation) => ({
      body: { kind: 'structural', at, json: withPath(whole, field.path, mutation.value) },
      mustRefuse: mutation.mustRefuse ? `${mutation.label} at ${at}` : undefined,
    }));
  });
  const queries = op.queryParams.flatMap((param) => {
    const sample = fc.sample(rightQueryScalar(param.name, resolve(param.schema)), {
      seed: fc.hash(`${op.key} ${param.name}`),
      numRuns: 1,
    })[0];
    return structuralQueryMutations(param.name, sample).map((mutation) => ({
      query: mutation.entries,
      mustRefuse: mutation.mustRefuse
        ? `${mutation.label} query parameter ${param.name}`
        : undefined,
    }));
  });
  return actorsAllowed(op).flatMap((actor) => [
    ...bodies.map(({ body, mustRefuse }): FuzzRequest => ({
      actor,
      params,
      query: [],
      headers: [],
      body,
      mustRefuse,
    })),
    ...queries.map(({ query, mustRefuse }): FuzzRequest => ({
      actor,
      params,
      query,
      headers: [],
      body: baseBody,
      mustRefuse,
    })),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Sending and judging
// ---------------------------------------------------------------------------------------------

function wellFormed(text: string): string {
  return text.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

function encode(value: unknown): string {
  return encodeURIComponent(wellFormed(String(realize(value))));
}

function urlOf(op: Operation, request: FuzzRequest): string {
  let index = 0;
  const path = op.path.replace(/\{[^}]+\}/g, () => {
    const segment = request.params[index++];
    return segment.raw ?? encode(segment.value);
  });
  const query = request.query
    .map(
      ([key, value]) =>
        `${encode(key).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%24/g, '$')}=${encode(value)}`,
    )
    .join('&');
  return query ? `${path}?${query}` : path;
}

interface Answer {
  status: number;
  text: string;
  contentType: string;
  ms: number;
}

interface ErrorBodyShape {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
}

const ERROR_KEYS = new Set(['statusCode', 'code', 'message', 'details']);

/** What is wrong with an answer, in words; empty when nothing is. */
function violations(answer: Answer, request: FuzzRequest, op: Operation): string[] {
  const found: string[] = [];
  if (answer.status >= 500 && !(answer.status === 501 && op.notImplemented)) {
    found.push(`answered ${answer.status}`);
  }
  if (answer.ms >= RESPONSE_LIMIT_MS) {
    found.push(`took ${answer.ms} ms (limit ${RESPONSE_LIMIT_MS} ms)`);
  }
  let parsed: unknown;
  let isJson: boolean;
  try {
    parsed = JSON.parse(answer.text);
    isJson = true;
  } catch {
    isJson = false;
  }
  if (answer.status >= 400) {
    const body = parsed as ErrorBodyShape | undefined;
    const shapeOk =
      isJson &&
      /application\/json/.test(answer.contentType) &&
      body !== null &&
      typeof body === 'object' &&
      !Array.isArray(body) &&
      body.statusCode === answer.status &&
      typeof body.code === 'string' &&
      typeof body.message === 'string' &&
      Object.keys(body).every((key) => ERROR_KEYS.has(key));
    if (!shapeOk) {
      found.push(
        `error body is not {statusCode: ${answer.status}, code, message, details?} (content-type ${answer.contentType || 'none'})`,
      );
    }
  }
  const leak = LEAK_MARKERS.exec(answer.text) ?? FILE_PATH.exec(answer.text);
  if (leak) {
    found.push(`the answer leaks ${JSON.stringify(leak[0])}`);
  }
  if (isJson) {
    const secrets = secretKeysIn(parsed).filter((key) => !/(^|\.)details\[\d+\]/.test(key));
    if (secrets.length > 0) {
      found.push(`the answer shows internal fields: ${secrets.slice(0, 5).join(', ')}`);
    }
  }
  if (request.mustRefuse && answer.status < 300) {
    found.push(`accepted the ${request.mustRefuse} (should be refused with 400)`);
  }
  if (
    op.bodySchema &&
    answer.status < 300 &&
    (request.body.kind === 'operator' || request.body.kind === 'extra')
  ) {
    found.push(
      request.body.kind === 'operator'
        ? `accepted an operator object at ${request.body.at} (should be refused with 400)`
        : `accepted the unknown field ${request.body.at} (should be refused with 400)`,
    );
  }
  return found;
}

function truncate(text: string, max = 600): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function describeBody(body: Body): string {
  if (body.kind === 'none') {
    return 'no body';
  }
  const payload = body.raw !== undefined ? JSON.stringify(body.raw) : fc.stringify(body.json);
  return `${body.kind}${body.at ? ` at ${body.at}` : ''}${body.contentType ? ` (${body.contentType})` : ''}: ${truncate(payload, 400)}`;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

describe('Fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  const mailbox = new TestMailbox();
  const sessions = {} as Record<'client' | 'craftsman' | 'craftsman2' | 'admin', Session>;
  const fixture = { jobId: '', invitationId: '' };

  function bearerOf(actor: Actor): string | undefined {
    switch (actor) {
      case 'client':
      case 'craftsman':
      case 'admin':
        return sessions[actor].bearer;
      case 'forged':
        return 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAifQ.';
      case 'none':
        return undefined;
    }
  }

  async function errorLogSince(startedAt: number): Promise<string[]> {
    let lines: Array<Record<string, unknown>>;
    try {
      lines = await t.readLog('error.log');
    } catch {
      return [];
    }
    return lines
      .filter((line) => Date.parse(String(line.time)) >= startedAt - 5)
      .map((line) => {
        const err = line.err as { stack?: string } | undefined;
        const stack = typeof line.stack === 'string' ? line.stack : err?.stack;
        return truncate(
          `${String(line.msg)}${stack ? ` | ${stack.split('\n').slice(0, 3).join(' ⏎ ')}` : ''}`,
          700,
        );
      });
  }

  async function send(op: Operation, request: FuzzRequest): Promise<Answer> {
    const url = urlOf(op, request);
    let call = t.http[op.method](url)
      .ok(() => true)
      .timeout(HANG_MS)
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => callback(null, text));
      });
    const bearer = bearerOf(request.actor);
    if (bearer) {
      call = call.set('Authorization', bearer);
    }
    for (const [name, value] of request.headers) {
      call = call.set(name, value);
    }
    const { body } = request;
    if (body.kind === 'malformed') {
      call = call.set('Content-Type', body.contentType ?? 'application/json').send(body.raw ?? '');
    } else if (body.kind !== 'none') {
      call = call
        .set('Content-Type', 'application/json')
        .send(wellFormed(JSON.stringify(realize(body.json)) ?? 'null'));
    }
    const started = Date.now();
    try {
      const response = await call;
      return {
        status: response.status,
        text: typeof response.body === 'string' ? response.body : response.text,
        contentType: String(response.headers['content-type'] ?? ''),
        ms: Date.now() - started,
      };
    } catch (error) {
      const ms = Date.now() - started;
      if ((error as { timeout?: unknown }).timeout !== undefined || ms >= HANG_MS) {
        return { status: 0, text: '', contentType: '', ms };
      }
      throw new Error(
        `${op.method.toUpperCase()} ${truncate(url, 300)}: the connection failed: ${String(error)}`,
        { cause: error },
      );
    }
  }

  // --- sessions and fixtures ---------------------------------------------------------------

  async function signIn(name: keyof typeof sessions, type: 'clients' | 'admins'): Promise<void> {
    const session = sessions[name];
    const attempt = () =>
      t.http
        .post('/api/auth/login')
        .send({ loginIdentifier: session.user.email, password: session.password, type });
    let response = await attempt();
    if (response.status === 403 && response.body.code === 'ACCOUNT_BANNED') {
      await t.http
        .patch(`/api/admin/users/${session.user.id}/unban`)
        .set('Authorization', sessions.admin.bearer)
        .expect(200);
      response = await attempt();
    }
    if (response.status !== 200) {
      throw new Error(`cannot sign ${name} in again: ${response.status} ${response.text}`);
    }
    sessions[name] = {
      ...session,
      accessToken: response.body.accessToken,
      bearer: `Bearer ${response.body.accessToken}`,
    };
  }

  /** Signs the actors in again when a fuzzed request logged one out or banned him. */
  async function ensureSessions(): Promise<void> {
    for (const name of ['admin', 'client', 'craftsman', 'craftsman2'] as const) {
      const me = await t.http.get('/api/users/me').set('Authorization', sessions[name].bearer);
      if (me.status !== 200 || me.body.bannedAt) {
        await signIn(name, name === 'admin' ? 'admins' : 'clients');
      }
    }
  }

  function remember(pool: PoolName, value: string): void {
    pools[pool] = [value, ...pools[pool].filter((v) => v !== value)].slice(0, 6);
  }

  /** The catalog as it is now: fuzzed admins may have renamed or deleted any service. */
  async function refreshCatalog(): Promise<void> {
    let services = await t.http.get('/api/services').expect(200);
    if ((services.body as unknown[]).length === 0) {
      await t.http
        .post('/api/services')
        .set('Authorization', sessions.admin.bearer)
        .send({ name: 'Plumbing' })
        .expect(201);
      services = await t.http.get('/api/services').expect(200);
    }
    const list = services.body as Array<{ id: string; name: string }>;
    pools.services = list.map((service) => service.id);
    pools.serviceNames = list.map((service) => service.name);
  }

  /** A posted job with a pending invitation, a quote, an email invitation and an invite link. */
  async function buildJobFixtures(): Promise<void> {
    const { client, craftsman, craftsman2 } = sessions;
    const job = await postJob(t, client, {
      category: pools.serviceNames[0],
      location: { lat: 30.04, lng: 31.23 },
    });
    const invitation = await inviteCraftsman(t, client, job.id, craftsman);
    const outsider = uniqueEmail('outsider');
    const emailInvitation = await t.http
      .post(`/api/jobs/${job.id}/invite`)
      .set('Authorization', client.bearer)
      .send({ email: outsider, message: 'Come and see' })
      .expect(201);
    const quote = await t.http
      .post(`/api/jobs/${job.id}/quotes`)
      .set('Authorization', craftsman2.bearer)
      .send({ price: 50_000, notes: 'Two days', estimatedDays: 2 })
      .expect(201);
    const link = await t.http
      .post(`/api/jobs/${job.id}/invite-links`)
      .set('Authorization', client.bearer)
      .send({ maxUses: 5 })
      .expect(201);
    const mail = await mailbox.waitFor(outsider);
    const token = /token=([\w-]+)/.exec(mail.text)?.[1];
    fixture.jobId = job.id;
    fixture.invitationId = invitation.id;
    remember('jobs', job.id);
    remember('invitations', invitation.id);
    remember('invitations', emailInvitation.body.id);
    remember('quotes', quote.body.id);
    remember('links', link.body.id);
    remember('linkTokens', link.body.token);
    remember('emails', outsider);
    if (token) {
      remember('inviteTokens', token);
    }
  }

  async function ensureFixtures(): Promise<void> {
    await refreshCatalog();
    const job = await t.http
      .get(`/api/jobs/${fixture.jobId}`)
      .set('Authorization', sessions.client.bearer);
    const invitation = await t.http
      .get(`/api/invitations/${fixture.invitationId}`)
      .set('Authorization', sessions.client.bearer);
    const open = job.status === 200 && ['posted', 'quoted'].includes(job.body.status);
    if (!open || invitation.body.status !== 'pending') {
      await buildJobFixtures();
    }
  }

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      env: { SMTP_URL: mailbox.url, PUBLIC_APP_URL: 'https://app.example.com' },
    });
    sessions.admin = await loginAsAdmin(t);
    sessions.client = await newClient(t, { phone: '+201001234567' });
    sessions.craftsman = await newCraftsman(t, { phone: '+201009876543' });
    sessions.craftsman2 = await newCraftsman(t, { firstName: 'Omar' });
    const { client, craftsman, craftsman2, admin } = sessions;
    for (const session of [client, craftsman, craftsman2, admin]) {
      remember('users', session.user.id);
      remember('emails', session.user.email);
    }
    remember('craftsmen', craftsman.user.id);
    remember('craftsmen', craftsman2.user.id);

    await refreshCatalog();

    // a conversation: craftsman2 accepts an invitation to another job, and writes
    const otherJob = await postJob(t, client, {
      title: 'Broken socket in the hall',
      category: pools.serviceNames[0],
    });
    remember('jobs', otherJob.id);
    const invitation = await inviteCraftsman(t, client, otherJob.id, craftsman2);
    const accepted = await t.http
      .post(`/api/invitations/${invitation.id}/accept`)
      .set('Authorization', craftsman2.bearer)
      .expect(200);
    remember('conversations', accepted.body.conversationId);
    remember('invitations', invitation.id);
    await t.http
      .post(`/api/conversations/${accepted.body.conversationId}/messages`)
      .set('Authorization', client.bearer)
      .send({ text: 'Hello, when can you come?' })
      .expect(201);

    // a pending verification, a device, notifications
    await submitVerification(t, craftsman);
    const device = 'fuzz-device-token-0123456789';
    await t.http
      .post('/api/notifications/devices')
      .set('Authorization', client.bearer)
      .send({ token: device, platform: 'android' })
      .expect(201);
    remember('devices', device);
    await buildJobFixtures();
    for (const session of [client, craftsman, craftsman2]) {
      const list = await t.http
        .get('/api/notifications?limit=5')
        .set('Authorization', session.bearer)
        .expect(200);
      for (const notification of list.body.data as Array<{ id: string }>) {
        remember('notifications', notification.id);
      }
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await mailbox.stop();
  });

  beforeEach(async () => {
    await ensureSessions();
    await ensureFixtures();
  });

  /** Operations after which the actors' sessions may be gone. */
  const SESSION_ENDING = /\/auth\/logout|\/users\/me\/password|\/auth\/reset-password|\/ban$/;

  it('should fuzz every operation of the document', () => {
    expect(OPERATIONS.length).toBeGreaterThan(50);
    expect(NOTIFICATION_TYPES).toContain('invitation.created');
  });

  for (const op of OPERATIONS) {
    it(
      `${op.key} answers < 500, in the error shape, leaking nothing, within 5 s`,
      async () => {
        const seed = (SEED + fc.hash(op.key)) | 0;
        const examples = [...edgeExamples(op), ...structuralExamples(op)];
        await fc.assert(
          fc.asyncProperty(requestArb(op), async (request) => {
            const startedAt = Date.now();
            const answer = await send(op, request);
            const found =
              answer.status === 0
                ? [`no answer within ${HANG_MS} ms (a hang)`]
                : violations(answer, request, op);
            if (SESSION_ENDING.test(op.path) && answer.status < 300) {
              await ensureSessions();
            }
            if (found.length > 0) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              const log = await errorLogSince(startedAt);
              throw new Error(
                [
                  `${op.key}: ${found.join('; ')}`,
                  `request: as ${request.actor} ${op.method.toUpperCase()} ${truncate(urlOf(op, request), 300)}`,
                  ...request.headers.map(
                    ([name, value]) => `header: ${name}: ${truncate(value, 80)}`,
                  ),
                  `body: ${describeBody(request.body)}`,
                  `answer: ${answer.status} ${truncate(answer.text)}`,
                  `error.log: ${log.length > 0 ? log.join('\n  ') : '(nothing)'}`,
                ].join('\n'),
              );
            }
          }),
          {
            ...(REPLAY ?? { seed }),
            examples: examples.map((example): [FuzzRequest] => [example]),
            numRuns: NUM_RUNS + examples.length,
            plugins: [fc.interruptAfterTimeLimit(PER_OPERATION_MS)],
          },
        );
      },
      PER_OPERATION_MS + 30_000,
    );
  }

  // --- what the run left in the database -----------------------------------------------------

  /** `?`: may be absent or null; an array of strings: one of them. `a[]`: each element of a. */
  type FieldType =
    | 'string'
    | 'string?'
    | 'number'
    | 'number?'
    | 'boolean'
    | 'boolean?'
    | 'id'
    | 'id?'
    | 'date'
    | 'date?'
    | 'object'
    | readonly string[];

  const STRUCTURE: Record<string, Record<string, FieldType>> = {
    users: {
      email: 'string',
      phoneKey: 'string',
      passwordHash: 'string',
      role: ['client', 'craftsman', 'admin', 'moderator'],
      firstName: 'string',
      lastName: 'string',
      firstNameKey: 'string',
      lastNameKey: 'string',
      phone: 'string?',
      profilePicture: 'string?',
      address: 'string?',
      rating: 'number',
      ratingCount: 'number',
      'location.lat': 'number',
      'location.lng': 'number',
      bannedAt: 'date?',
      banReason: 'string?',
      bannedBy: 'id?',
      tokensValidAfter: 'date?',
      'craftsmanInfo.skills[]': 'string',
      'craftsmanInfo.bio': 'string?',
      'craftsmanInfo.serviceRadiusKm': 'number?',
      'craftsmanInfo.available': 'boolean?',
      'craftsmanInfo.portfolioImageUrls[]': 'string',
      'craftsmanInfo.verificationStatus': 'string?',
      'craftsmanInfo.verificationDocs[].docType': 'string',
      'craftsmanInfo.verificationDocs[].docUrl': 'string?',
      'craftsmanInfo.verificationDocs[].fileId': 'id?',
      'craftsmanInfo.verificationRejectionReason': 'string?',
      createdAt: 'date',
    },
    jobs: {
      client: 'id',
      title: 'string',
      description: 'string',
      category: 'string',
      status: [
        'posted',
        'quoted',
        'hired',
        'on_the_way',
        'in_progress',
        'completed',
        'disputed',
        'cancelled',
      ],
      address: 'string?',
      'location.lat': 'number',
      'location.lng': 'number',
      'photos[]': 'string',
      paymentType: 'string?',
      budget: 'number?',
      craftsman: 'id?',
      acceptedQuote: 'id?',
      jobPrice: 'number?',
      quotesCount: 'number?',
      'statusHistory[].to': 'string',
      'statusHistory[].at': 'date',
      'titleWords[]': 'string',
      createdAt: 'date',
    },
    invitations: {
      job: 'id',
      client: 'id',
      craftsman: 'id?',
      inviteeEmail: 'string?',
      inviteeKey: 'string',
      status: ['pending', 'accepted', 'rejected', 'cancelled', 'expired'],
      source: 'string',
      message: 'string?',
      rejectionReason: 'string?',
      rejectionReasonCode: 'string?',
      tokenHash: 'string',
      expiresAt: 'date',
      lastSentAt: 'date',
      idempotencyKey: 'string?',
      'history[].action': 'string',
      'history[].at': 'date',
      createdAt: 'date',
    },
    quotes: {
      job: 'id',
      craftsman: 'id',
      client: 'id',
      price: 'number',
      notes: 'string?',
      estimatedDays: 'number?',
      status: ['pending', 'accepted', 'declined'],
      createdAt: 'date',
    },
    invite_links: {
      job: 'id',
      client: 'id',
      tokenHash: 'string',
      maxUses: 'number',
      uses: 'number?',
      expiresAt: 'date',
    },
    conversations: {
      client: 'id',
      craftsman: 'id',
      pairKey: 'string',
      lastActivityAt: 'date',
      lastMessagePreview: 'string?',
    },
    messages: { conversation: 'id', sender: 'id', text: 'string' },
    notifications: {
      recipient: 'id',
      type: 'string',
      title: 'string',
      message: 'string',
      dedupeKey: 'string',
      read: 'boolean?',
    },
    device_tokens: { user: 'id', token: 'string', platform: ['android', 'ios', 'web'] },
    notification_preferences: { user: 'id', preferences: 'object' },
    services: { name: 'string', nameKey: 'string', icon: 'string?', description: 'string?' },
    deliveries: { channel: 'string', status: 'string', nextAttemptAt: 'date', payload: 'object' },
    password_reset_tokens: { tokenHash: 'string', user: 'id', expiresAt: 'date' },
    revoked_tokens: { jti: 'string', user: 'id', expiresAt: 'date' },
  };

  function isDate(value: unknown): boolean {
    return Object.prototype.toString.call(value) === '[object Date]';
  }

  function isObjectId(value: unknown): boolean {
    return (
      value !== null &&
      typeof value === 'object' &&
      (value as { _bsontype?: unknown })._bsontype === 'ObjectId'
    );
  }

  function fits(value: unknown, type: FieldType): boolean {
    if (typeof type !== 'string') {
      return typeof value === 'string' && type.includes(value);
    }
    const optional = type.endsWith('?');
    if (value === undefined || value === null) {
      return optional;
    }
    switch (type.replace('?', '')) {
      case 'string':
        return typeof value === 'string';
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'id':
        return isObjectId(value);
      case 'date':
        return isDate(value);
      case 'object':
        return typeof value === 'object' && !Array.isArray(value);
      default:
        return false;
    }
  }

  function show(value: unknown): string {
    if (value === undefined) {
      return 'missing';
    }
    if (isDate(value)) {
      return (value as Date).toISOString();
    }
    if (isObjectId(value)) {
      return (value as { toHexString(): string }).toHexString();
    }
    return truncate(JSON.stringify(value) ?? typeof value, 120);
  }

  /** The problems of one field path (`a.b[].c`) in one document; a missing parent is fine. */
  function problemsAt(doc: unknown, segments: string[], type: FieldType, here: string): string[] {
    const [segment, ...rest] = segments;
    const isArray = segment.endsWith('[]');
    const key = isArray ? segment.slice(0, -2) : segment;
    const value = (doc as Record<string, unknown>)[key];
    const where = here ? `${here}.${key}` : key;
    if (isArray) {
      if (value === undefined || value === null) {
        return [];
      }
      if (!Array.isArray(value)) {
        return [`${where} is ${show(value)}, not an array`];
      }
      return value.flatMap((item, i) =>
        rest.length === 0
          ? fits(item, type)
            ? []
            : [`${where}[${i}] is ${show(item)}`]
          : item !== null && typeof item === 'object'
            ? problemsAt(item, rest, type, `${where}[${i}]`)
            : [`${where}[${i}] is ${show(item)}`],
      );
    }
    if (rest.length === 0) {
      return fits(value, type) ? [] : [`${where} is ${show(value)} (expected ${String(type)})`];
    }
    if (value === undefined || value === null) {
      return [];
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      return [`${where} is ${show(value)}, not an object`];
    }
    return problemsAt(value, rest, type, where);
  }

  /** Keys an operator injection would leave behind. */
  function dollarKeys(value: unknown, here = ''): string[] {
    if (Array.isArray(value)) {
      return value.flatMap((item, i) => dollarKeys(item, `${here}[${i}]`));
    }
    if (value === null || typeof value !== 'object' || isObjectId(value) || isDate(value)) {
      return [];
    }
    return Object.entries(value).flatMap(([key, field]) => {
      const where = here ? `${here}.${key}` : key;
      return [...(key.startsWith('$') ? [where] : []), ...dollarKeys(field, where)];
    });
  }

  it('should leave no half-written document, and no object where a scalar belongs', async () => {
    const problems: string[] = [];
    for (const [collection, fields] of Object.entries(STRUCTURE)) {
      const documents = await t.connection.collection(collection).find({}).toArray();
      for (const document of documents) {
        const own = [
          ...Object.entries(fields).flatMap(([path, type]) =>
            problemsAt(document, path.split('.'), type, ''),
          ),
          ...dollarKeys(document).map((key) => `has the operator-like key ${key}`),
        ];
        if (collection === 'notification_preferences') {
          const preferences = (document.preferences ?? {}) as Record<string, unknown>;
          for (const [event, channels] of Object.entries(preferences)) {
            const ok =
              // stored with ':' for '.' (a key with a dot would be a path)
              NOTIFICATION_TYPES.includes(event.replace(/:/g, '.')) &&
              channels !== null &&
              typeof channels === 'object' &&
              Object.entries(channels).every(
                ([channel, on]) =>
                  ['inApp', 'push', 'email'].includes(channel) && typeof on === 'boolean',
              );
            if (!ok) {
              own.push(`preferences.${event} is ${show(channels)}`);
            }
          }
        }
        if (own.length > 0) {
          problems.push(`${collection} ${String(document._id)}: ${own.join('; ')}`);
        }
      }
    }
    const admins = await t.connection
      .collection('users')
      .countDocuments({ email: TEST_ADMIN.email, role: 'admin' });

    expect(problems).toEqual([]);
    expect(admins).toBe(1);
  });
});
