import { pdf, png, uploaded } from '../support/uploads.js';
import type { World } from './authorization-matrix.fixtures.js';
import { type MatrixRequest, type MatrixRow, only, PUBLIC } from './authorization-matrix.rules.js';

/** A small PNG as a form sends it (`POST /uploads`, `PUT /users/me/profile-picture`). */
async function imageForm(fields: Record<string, string> = {}): Promise<MatrixRequest['form']> {
  return { fields, file: await png(16, 16), filename: 'photo.png', contentType: 'image/png' };
}

/** The craftsman's private verification document, uploaded once. */
function craftsmansDocument(w: World): Promise<string> {
  return w.shared('craftsmansDocument', () =>
    uploaded(w.t, w.craftsman, {
      purpose: 'verification_doc',
      bytes: pdf('trade licence 4711'),
      filename: 'licence.pdf',
      contentType: 'application/pdf',
    }),
  );
}

/** The public URL of a job photo of the client's, uploaded once. */
function clientsPhotoUrl(w: World): Promise<string> {
  return w.shared('clientsPhotoUrl', async () => {
    const response = await w.t.http
      .post('/api/uploads')
      .set('Authorization', w.client.bearer)
      .field('purpose', 'job_photo')
      .attach('file', await png(12, 12), { filename: 'sink.png', contentType: 'image/png' })
      .expect(201);
    return response.body.url as string;
  });
}

/** Files (API.md "Files"). */
export const FILES_ROWS: readonly MatrixRow[] = [
  {
    method: 'POST',
    path: '/api/uploads',
    rule: 'any signed-in user (API.md Files: auth)',
    expect: only('anyone signed in'),
    request: async () => ({
      path: '/api/uploads',
      form: await imageForm({ purpose: 'job_photo' }),
    }),
  },
  {
    method: 'POST',
    path: '/api/services/uploads',
    rule: 'any signed-in user: the seed’s name of POST /uploads',
    expect: only('anyone signed in'),
    request: async () => ({
      path: '/api/services/uploads',
      form: await imageForm({ purpose: 'portfolio' }),
    }),
  },
  {
    method: 'PUT',
    path: '/api/users/me/profile-picture',
    rule: 'any signed-in user, his own picture (API.md Files)',
    expect: only('anyone signed in'),
    request: async () => ({ path: '/api/users/me/profile-picture', form: await imageForm() }),
  },
  {
    method: 'GET',
    path: '/api/uploads/{id}/content',
    rule: 'a verification document: its owner and admins only (API.md Files; issue 17)',
    expect: only(['craftsman', 'admin']),
    request: async (w) => ({ path: `/api/uploads/${await craftsmansDocument(w)}/content` }),
  },
  {
    method: 'GET',
    path: '/api/files/public/{purpose}/{name}',
    rule: 'public: the url of a public upload (the local store serves it)',
    expect: PUBLIC,
    request: async (w) => ({ path: await clientsPhotoUrl(w) }),
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const FILES_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // the upload's record
  'POST /api/uploads': 1,
  'POST /api/services/uploads': 1,
  // the upload's record, attached; the pointer swapped (answering the user as he was); the old
  // picture read, released and removed (none the first time: 3)
  'PUT /api/users/me/profile-picture': 6,
  // the upload's record
  'GET /api/uploads/{id}/content': 1,
  // none: the local store's file
  'GET /api/files/public/{purpose}/{name}': 0,
};
