import type { ActivityEntryEntity } from '../schemas/activity-entry.schema.js';

/** Who did it. */
export class ActivityActorDto {
  /** The user's id; null for the system. */
  id!: string | null;
  /** His role then (`client`, `craftsman`, `admin`, `moderator`), or `system`. */
  role!: string;
}

/** What it was done to. */
export class ActivityTargetDto {
  /** `user`, `service`, `job`, `dispute`, `withdrawal`. */
  type!: string;
  id!: string;
}

/** One recorded action (`GET /admin/activity-log`). */
export class ActivityEntryResponseDto {
  id!: string;
  actor!: ActivityActorDto;
  /** A stable dotted name, e.g. `user.banned`, `payout.paid`. */
  action!: string;
  target!: ActivityTargetDto;
  /** What else the action was about (a reason, an amount, the statuses of a move). */
  details!: Record<string, unknown>;
  /** The client's address when a person acted over HTTP; null for the system. */
  ip!: string | null;
  createdAt!: Date;
  /** Its place in the hash chain. */
  seq!: number;
  /**
   * The chain's sha256 (hex) of the previous entry's digest and this entry (see
   * `/admin/activity-log/verify`). Named `digest`, not `hash`: no answer carries a field called
   * hash (the name of a password's), so that none can be mistaken for one.
   */
  digest!: string;

  static from(entry: ActivityEntryEntity): ActivityEntryResponseDto {
    return {
      id: entry.id,
      actor: { id: entry.actor.id, role: entry.actor.role },
      action: entry.action,
      target: { type: entry.target.type, id: entry.target.id },
      details: entry.details,
      ip: entry.ip,
      createdAt: entry.createdAt,
      seq: entry.seq,
      digest: entry.hash,
    };
  }
}
