#!/usr/bin/env node
// The hottest path, invite create + received list, through the app's own Mongoose repository
// (InvitationsRepository: Model.create, find().lean(), countDocuments) ÷ the same work written
// against the native MongoDB driver (insertOne of the same document, find().toArray(),
// countDocuments), both turned into the same entity by the same `toPlain`. Goal: ≤ 1.5×.
// Rounds alternate between the two so that the machine's noise falls on both alike.
// Needs `npm run build`. Uses MONGODB_URI when set, else an embedded engine of its own.
//
//   npm run build && node bench/mongoose-vs-native.mjs [--rounds 10] [--creates 200] [--lists 50]
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { toPlain } from '../dist/common/database/to-plain.js';
import { startEmbeddedEngine } from '../dist/database/engine/embedded-engine.js';
import { InvitationsRepository } from '../dist/modules/invitations/invitations.repository.js';
import {
  Invitation,
  InvitationSchema,
} from '../dist/modules/invitations/schemas/invitation.schema.js';
import { appendResult, machineLine, option, percentile } from './results.mjs';

const ROUNDS = Number(option('rounds', 10));
const CREATES = Number(option('creates', 200));
const LISTS = Number(option('lists', 50));
const LIMIT = 20;
const quiet = () => undefined;

const engine = process.env.MONGODB_URI
  ? { uri: process.env.MONGODB_URI, description: 'MongoDB at MONGODB_URI', stop: async () => {} }
  : await startEmbeddedEngine({ storage: 'memory', dataDir: '.', log: quiet, warn: quiet });
const connection = await mongoose
  .createConnection(engine.uri, { dbName: `bench-mongoose-native-${Date.now()}` })
  .asPromise();
const model = connection.model(Invitation.name, InvitationSchema);
await model.init();
const repository = new InvitationsRepository(model);
const collection = connection.db.collection(model.collection.name);

const { ObjectId } = mongoose.Types;
const clientId = new ObjectId().toHexString();
const craftsmanIds = [new ObjectId(), new ObjectId()];

function newInvitation(craftsman) {
  return {
    job: new ObjectId().toHexString(),
    client: clientId,
    craftsman: craftsman.toHexString(),
    inviteeEmail: null,
    inviteeKey: craftsman.toHexString(),
    source: 'craftsman_id',
    message: 'Could you have a look this week?',
    tokenHash: randomBytes(32).toString('hex'),
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  };
}

// what Mongoose stores for one invitation (defaults, casts, timestamps): the native path writes
// the same document, built by hand as a hand-written repository would
const stored = await collection.findOne({
  _id: new ObjectId((await repository.create(newInvitation(craftsmanIds[0]), new Date())).id),
});
await collection.deleteMany({});

const mongoosePath = {
  create: (at) => repository.create(newInvitation(craftsmanIds[0]), at),
  list: (now) =>
    repository.list({ craftsmanId: craftsmanIds[0].toHexString() }, { page: 1, limit: LIMIT }, now),
};

const nativePath = {
  async create(at) {
    const input = newInvitation(craftsmanIds[1]);
    const document = {
      ...stored,
      _id: new ObjectId(),
      ...input,
      job: new ObjectId(input.job),
      client: new ObjectId(input.client),
      craftsman: new ObjectId(input.craftsman),
      lastSentAt: at,
      history: [{ action: 'created', by: new ObjectId(input.client), at }],
      createdAt: at,
      updatedAt: at,
    };
    await collection.insertOne(document);
    return toPlain(document);
  },
  async list() {
    const filter = { craftsman: craftsmanIds[1] };
    const [documents, total] = await Promise.all([
      collection.find(filter).sort({ createdAt: -1, _id: -1 }).limit(LIMIT).toArray(),
      collection.countDocuments(filter),
    ]);
    return { data: documents.map((document) => toPlain(document)), total };
  },
};

const samples = {
  mongoose: { create: [], list: [] },
  native: { create: [], list: [] },
};

async function round(name, path) {
  for (let i = 0; i < CREATES; i += 1) {
    const started = performance.now();
    await path.create(new Date());
    samples[name].create.push(performance.now() - started);
  }
  for (let i = 0; i < LISTS; i += 1) {
    const started = performance.now();
    await path.list(new Date());
    samples[name].list.push(performance.now() - started);
  }
}

// a warm-up round each, not counted
await round('mongoose', mongoosePath);
await round('native', nativePath);
for (const name of ['mongoose', 'native']) {
  samples[name].create.length = 0;
  samples[name].list.length = 0;
}
for (let i = 0; i < ROUNDS; i += 1) {
  if (i % 2 === 0) {
    await round('mongoose', mongoosePath);
    await round('native', nativePath);
  } else {
    await round('native', nativePath);
    await round('mongoose', mongoosePath);
  }
}
const invitationsEach = await Promise.all(
  craftsmanIds.map((craftsman) => collection.countDocuments({ craftsman })),
);

await connection.dropDatabase();
await connection.close();
await engine.stop();

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const ms = (value) => `${value.toFixed(2)} ms`;
const row = (operation) => {
  const m = samples.mongoose[operation];
  const n = samples.native[operation];
  return `| ${operation} | ${ms(mean(m))} / ${ms(percentile(m, 95))} | ${ms(mean(n))} / ${ms(percentile(n, 95))} | **${(mean(m) / mean(n)).toFixed(2)}** |`;
};
const both = (name) => mean(samples[name].create) * CREATES + mean(samples[name].list) * LISTS;
const lines = [
  `### Mongoose ÷ native driver on invite create + list — ${new Date().toISOString()}`,
  '',
  machineLine(engine),
  `Command: \`npm run build && node bench/mongoose-vs-native.mjs --rounds ${ROUNDS} --creates ${CREATES} --lists ${LISTS}\``,
  `${ROUNDS} rounds of ${CREATES} creates then ${LISTS} lists (${LIMIT} per page, with the count) per path, alternating which goes first, after a warm-up round; one process, sequential. Each craftsman ended with ${invitationsEach.join(' / ')} invitations. Mongoose: the app's InvitationsRepository (create = Model.create + toObject, list = find().lean() + countDocuments); native: insertOne of the same document and find().toArray() + countDocuments; both mapped by the same toPlain.`,
  '',
  '| operation | Mongoose: mean / p95 | native: mean / p95 | mean ratio |',
  '|---|---|---|---|',
  row('create'),
  row('list'),
  '',
  `Whole path (${CREATES} creates + ${LISTS} lists), Mongoose ÷ native: **${(both('mongoose') / both('native')).toFixed(2)}** (goal ≤ 1.5).`,
  '',
];
console.log(lines.join('\n'));
appendResult(lines.join('\n'));
