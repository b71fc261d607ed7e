import { uniqueEmail } from '../support/session.js';
import { type MatrixRow, PUBLIC } from './authorization-matrix.rules.js';

/** Privacy and contact (API.md "Privacy and contact"). */
export const CONTACT_ROWS: readonly MatrixRow[] = [
  {
    method: 'POST',
    path: '/api/send-email',
    rule: 'public: the website’s contact form (API.md Privacy and contact)',
    expect: PUBLIC,
    // the test app's contact limits are high: one address calls this row for every actor
    request: () =>
      Promise.resolve({
        path: '/api/send-email',
        body: { name: 'Nour Saleh', email: uniqueEmail('contact'), message: 'How do I sign up?' },
      }),
  },
];

/** The MongoDB commands each of these routes may send (see round-trips.budgets.ts). */
export const CONTACT_ROUND_TRIP_BUDGETS: Readonly<Record<string, number>> = {
  // the delivery to support written, then marked sent once the mail went out
  'POST /api/send-email': 2,
};
