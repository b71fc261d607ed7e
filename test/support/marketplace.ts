import type { Session } from './session.js';
import type { TestApp } from './test-app.js';

/** A job posted through the API by `client`, as the API answered it (`T`: what the test reads). */
export async function postJob<T = { id: string; [key: string]: unknown }>(
  t: TestApp,
  client: Session,
  overrides: Record<string, unknown> = {},
): Promise<T> {
  const response = await t.http
    .post('/api/jobs')
    .set('Authorization', client.bearer)
    .send({
      title: 'Leaking kitchen sink',
      description: 'Water drips under the kitchen sink all day long.',
      category: 'Plumbing',
      ...overrides,
    })
    .expect(201);
  return response.body as T;
}

/** A job as `viewer` sees it (`T`: what the test reads); fails the test unless 200. */
export async function getJob<T = { id: string; [key: string]: unknown }>(
  t: TestApp,
  viewer: Session,
  jobId: string,
): Promise<T> {
  const response = await t.http
    .get(`/api/jobs/${jobId}`)
    .set('Authorization', viewer.bearer)
    .expect(200);
  return response.body as T;
}

/** An invitation by the job's owner; answers the raw response for the test to check. */
export function invite(t: TestApp, client: Session, jobId: string, body: Record<string, unknown>) {
  return t.http.post(`/api/jobs/${jobId}/invite`).set('Authorization', client.bearer).send(body);
}

export async function inviteCraftsman(
  t: TestApp,
  client: Session,
  jobId: string,
  craftsman: Session,
): Promise<{ id: string; [key: string]: unknown }> {
  return (await invite(t, client, jobId, { craftsmanId: craftsman.user.id }).expect(201)).body;
}

/** A quote by `craftsman`, accepted by the job's owner: the job is hired. */
export async function hire(
  t: TestApp,
  client: Session,
  jobId: string,
  craftsman: Session,
  price = 50_000,
) {
  const quote = await t.http
    .post(`/api/jobs/${jobId}/quotes`)
    .set('Authorization', craftsman.bearer)
    .send({ price })
    .expect(201);
  await t.http
    .post(`/api/jobs/${jobId}/quotes/${quote.body.id}/accept`)
    .set('Authorization', client.bearer)
    .expect(200);
  return quote.body;
}
