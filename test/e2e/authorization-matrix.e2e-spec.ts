import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeClock } from '../support/fake-clock.js';
import { FakeGateways } from '../support/payments.js';
import { TestMailbox } from '../support/smtp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ACTORS, type Actor, World } from './authorization-matrix.fixtures.js';
import { withRequest } from './authorization-matrix.rules.js';
import {
  EXCLUDED_OPERATIONS,
  type MatrixRequest,
  type MatrixRow,
  MATRIX,
  type Outcome,
} from './authorization-matrix.table.js';

const CHECKED_IN_OPENAPI = join(import.meta.dirname, '..', '..', 'openapi', 'openapi.json');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: Array<Record<string, unknown>> }>>;
}

/**
 * `METHOD /path` of every operation, with whether it needs credentials: it lists security
 * requirements and none of them is the empty one (`{}`, "no credentials", as the webhooks say).
 */
function operationsOf(document: OpenApiDocument): Map<string, { secured: boolean }> {
  const operations = new Map<string, { secured: boolean }>();
  for (const [path, methods] of Object.entries(document.paths)) {
    if (path.startsWith('/api/docs')) {
      continue;
    }
    for (const [method, operation] of Object.entries(methods)) {
      if (METHODS.includes(method)) {
        const requirements = operation.security ?? [];
        operations.set(`${method.toUpperCase()} ${path}`, {
          secured:
            requirements.length > 0 &&
            requirements.every((requirement) => Object.keys(requirement).length > 0),
        });
      }
    }
  }
  return operations;
}

const keyOf = (row: MatrixRow) => `${row.method} ${row.path}`;

function matchesTemplate(template: string, path: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

/** What a status means, in the table's words. */
function outcomeOf(status: number): Outcome | 'other' {
  if (status >= 200 && status < 300) {
    return 'allow';
  }
  switch (status) {
    case 401:
      return 'deny401';
    case 403:
      return 'deny403';
    case 404:
      return 'deny404';
    default:
      return 'other';
  }
}

const LABELS: Record<Outcome, string> = {
  allow: 'allow',
  deny401: '401',
  deny403: '403',
  deny404: '404',
};

describe('Authorization matrix (every route × every kind of caller)', () => {
  let t: TestApp;
  let w: World;
  const mailbox = new TestMailbox();
  const clock = new FakeClock();
  const gateways = new FakeGateways();

  beforeAll(async () => {
    await mailbox.start();
    t = await createTestApp({
      env: {
        SMTP_URL: mailbox.url,
        // the resend row moves the clock past the (shortest) resend interval
        INVITATION_RESEND_INTERVAL_HOURS: '1',
        ...(await gateways.start()),
      },
      clock,
    });
    w = await World.create(t, mailbox, clock, { gateways });
  });

  afterAll(async () => {
    await t?.close();
    await mailbox.stop();
    await gateways.close();
  });

  async function send(row: MatrixRow, actor: Actor, request: MatrixRequest) {
    if (!matchesTemplate(row.path, request.path)) {
      throw new Error(`the row ${keyOf(row)} built the path ${request.path}`);
    }
    const session = request.as ?? (actor === 'anonymous' ? undefined : w.sessions[actor]);
    const call = t.http[row.method.toLowerCase() as Lowercase<MatrixRow['method']>](request.path);
    return withRequest(call, request, session);
  }

  describe('the table', () => {
    it('should have a row for every operation the server documents at /api/docs-json', async () => {
      const { body } = await t.http.get('/api/docs-json').expect(200);
      const rows = new Set(MATRIX.map(keyOf));

      const missing = [...operationsOf(body as OpenApiDocument).keys()].filter(
        (operation) => !rows.has(operation) && !(operation in EXCLUDED_OPERATIONS),
      );
      expect(missing).toEqual([]);
    });

    it('should have a row for every operation of the checked-in openapi/openapi.json', () => {
      const document = JSON.parse(readFileSync(CHECKED_IN_OPENAPI, 'utf8')) as OpenApiDocument;
      const rows = new Set(MATRIX.map(keyOf));

      const missing = [...operationsOf(document).keys()].filter(
        (operation) => !rows.has(operation) && !(operation in EXCLUDED_OPERATIONS),
      );
      expect(missing).toEqual([]);
    });

    it('should have no row, duplicate or exclusion for an operation the server does not have', async () => {
      const { body } = await t.http.get('/api/docs-json').expect(200);
      const operations = operationsOf(body as OpenApiDocument);
      const keys = MATRIX.map(keyOf);

      expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
      expect(
        [...keys, ...Object.keys(EXCLUDED_OPERATIONS)].filter((key) => !operations.has(key)),
      ).toEqual([]);
    });

    it('should call public exactly the operations the OpenAPI document declares without security', async () => {
      const { body } = await t.http.get('/api/docs-json').expect(200);
      const operations = operationsOf(body as OpenApiDocument);

      const disagreeing = MATRIX.filter(
        (row) =>
          operations.has(keyOf(row)) &&
          operations.get(keyOf(row))!.secured !== (row.expect.anonymous === 'deny401'),
      ).map(keyOf);
      expect(disagreeing).toEqual([]);
    });
  });

  for (const row of MATRIX) {
    describe(`${row.method} ${row.path} — ${row.rule}`, () => {
      beforeAll(() => w.startRow());

      for (const actor of ACTORS) {
        const expected = row.expect[actor];
        it(`should answer ${row.method} ${row.path} as ${actor} with ${LABELS[expected]}`, async () => {
          let status: number | undefined;
          try {
            const response = await send(row, actor, await row.request(w, actor));
            status = response.status;
            const answer = `${response.status} ${response.body?.code ?? ''} ${response.body?.message ?? ''}`;

            // on a failure, Jest shows the answer: status, error code and message
            expect(`${outcomeOf(response.status)} ← ${answer}`).toMatch(
              new RegExp(`^${expected} `),
            );
          } finally {
            w.endCase(status);
          }
        });
      }
    });
  }
});
