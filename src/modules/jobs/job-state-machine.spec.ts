import { JobStatus } from './job-status.js';
import { JobActor, judgeTransition } from './job-state-machine.js';

const { Owner, HiredCraftsman, Staff, System, Other } = JobActor;
const S = JobStatus;

/** API.md's rules, written out move by move, independently of the table under test. */
const ALLOWED: Array<[JobStatus, JobStatus, JobActor[]]> = [
  [S.Posted, S.Quoted, [System]],
  [S.Posted, S.Hired, [System]],
  [S.Quoted, S.Hired, [System]],
  [S.Hired, S.OnTheWay, [HiredCraftsman, Staff]],
  [S.OnTheWay, S.InProgress, [HiredCraftsman, Staff]],
  [S.InProgress, S.Completed, [Owner, Staff]],
  [S.Posted, S.Cancelled, [Owner, Staff]],
  [S.Quoted, S.Cancelled, [Owner, Staff]],
  [S.Hired, S.Cancelled, [Owner, Staff]],
  [S.Hired, S.Disputed, [Owner, HiredCraftsman, Staff]],
  [S.OnTheWay, S.Disputed, [Owner, HiredCraftsman, Staff]],
  [S.InProgress, S.Disputed, [Owner, HiredCraftsman, Staff]],
  [S.Completed, S.Disputed, [Owner, HiredCraftsman, Staff]],
  [S.Disputed, S.Completed, [System]],
  [S.Disputed, S.Cancelled, [System]],
];

const STATUSES = Object.values(JobStatus);
const ACTORS = Object.values(JobActor);

describe(judgeTransition.name, () => {
  const cases = STATUSES.flatMap((from) =>
    STATUSES.flatMap((to) =>
      ACTORS.map((actor) => {
        const move = ALLOWED.find(([f, t]) => f === from && t === to);
        const marketplaceOnly = move !== undefined && move[2].length === 1 && move[2][0] === System;
        const expected = !move
          ? 'illegal'
          : move[2].includes(actor)
            ? 'allowed'
            : marketplaceOnly
              ? 'illegal'
              : 'forbidden';
        return [from, to, actor, expected] as const;
      }),
    ),
  );

  it.each(cases)('should judge %s → %s by %s as %s', (from, to, actor, expected) => {
    expect(judgeTransition(from, to, actor)).toBe(expected);
  });

  it('should let nobody move a cancelled job, and only a resolution a disputed one', () => {
    for (const to of STATUSES) {
      for (const actor of ACTORS) {
        expect(judgeTransition(S.Cancelled, to, actor)).toBe('illegal');
        if (actor !== System) {
          expect(judgeTransition(S.Disputed, to, actor)).toBe('illegal');
        }
      }
    }
  });

  it('should let the client cancel for free up to hired, and only dispute after', () => {
    expect(judgeTransition(S.Hired, S.Cancelled, Owner)).toBe('allowed');
    for (const from of [S.OnTheWay, S.InProgress, S.Completed]) {
      expect(judgeTransition(from, S.Cancelled, Owner)).toBe('illegal');
      expect(judgeTransition(from, S.Disputed, Owner)).toBe('allowed');
    }
  });

  it('should never let an outsider make a move', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        expect(judgeTransition(from, to, Other)).not.toBe('allowed');
      }
    }
  });

  it('should call the marketplace’s own moves illegal for people, staff included', () => {
    expect(judgeTransition(S.Posted, S.Quoted, Owner)).toBe('illegal');
    expect(judgeTransition(S.Quoted, S.Hired, Staff)).toBe('illegal');
    expect(judgeTransition(S.Posted, S.Hired, System)).toBe('allowed');
  });

  it('should let the hired craftsman, and not the client, start the work', () => {
    expect(judgeTransition(S.Hired, S.OnTheWay, HiredCraftsman)).toBe('allowed');
    expect(judgeTransition(S.Hired, S.OnTheWay, Owner)).toBe('forbidden');
    expect(judgeTransition(S.InProgress, S.Completed, HiredCraftsman)).toBe('forbidden');
  });
});
