import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../support/test-app.js';

// The OpenAPI document is part of the contract: it is checked in, and this test fails when the
// code's document drifts from it. `npm run openapi:generate` rewrites it after a deliberate change.
const CHECKED_IN = join(import.meta.dirname, '..', '..', 'openapi', 'openapi.json');

describe('OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should serve the OpenAPI JSON at /api/docs-json with bearer auth declared', async () => {
    const response = await t.http.get('/api/docs-json').expect(200);

    expect(response.body.openapi).toMatch(/^3\./);
    expect(response.body.components.securitySchemes.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    );
    expect(Object.keys(response.body.paths)).toContain('/api/health');
  });

  it('should serve Swagger UI at /api/docs', async () => {
    const response = await t.http.get('/api/docs').expect(200);

    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('swagger-ui');
  });

  it('should give every operation a summary and an operation id', async () => {
    const { body } = await t.http.get('/api/docs-json').expect(200);
    const operations = Object.entries(
      body.paths as Record<string, Record<string, unknown>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );

    const missing = operations.filter(
      ({ operation }) =>
        !(operation as { summary?: string }).summary ||
        !(operation as { operationId?: string }).operationId,
    );
    expect(missing.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('should match the checked-in openapi/openapi.json', async () => {
    const { body } = await t.http.get('/api/docs-json').expect(200);
    const generated = `${JSON.stringify(body, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') {
      writeFileSync(CHECKED_IN, generated);
    }

    expect(generated).toBe(readFileSync(CHECKED_IN, 'utf8'));
  });
});
