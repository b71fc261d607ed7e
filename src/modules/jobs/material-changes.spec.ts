import { materialChanges } from './jobs.service.js';
import { JobStatus, PaymentType } from './job-status.js';
import type { JobEntity } from './schemas/job.schema.js';

const JOB: JobEntity = {
  id: '65a1b2c3d4e5f60718293a4b',
  client: '65a1b2c3d4e5f60718293a4c',
  title: 'Leaking kitchen sink',
  description: 'Water drips under the kitchen sink all day long.',
  category: 'Plumbing',
  address: '12 Tahrir St',
  location: { lat: 30.04, lng: 31.23 },
  photos: [],
  paymentType: PaymentType.Cash,
  status: JobStatus.Quoted,
  craftsman: null,
  acceptedQuote: null,
  payment: null,
  completedAt: null,
  completionRequestedAt: null,
  autoCompleteAt: null,
  autoCompleteReminders: 0,
  quotesCount: 1,
  edition: 0,
  materialEditAt: null,
  statusHistory: [],
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

describe(materialChanges.name, () => {
  it('should name each material field that really changes', () => {
    expect(
      materialChanges(JOB, {
        title: 'Leaking bathroom sink',
        description: JOB.description,
        category: 'Electrical',
        location: { lat: 30.04, lng: 31.24 },
      }),
    ).toEqual(['title', 'category', 'location']);
  });

  it('should find nothing material in the address, budget, photos or payment type', () => {
    expect(
      materialChanges(JOB, {
        address: '14 Tahrir St',
        budget: 70_000,
        photos: ['https://img.example.com/sink.jpg'],
        paymentType: PaymentType.Escrow,
      }),
    ).toEqual([]);
  });

  it('should count a first location as a change, the same one again as none', () => {
    expect(materialChanges({ ...JOB, location: undefined }, { location: JOB.location })).toEqual([
      'location',
    ]);
    expect(materialChanges(JOB, { location: { lat: 30.04, lng: 31.23 } })).toEqual([]);
  });
});
