/** `POST /admin/reports/rebuild`: what the rebuild did. */
export class RebuildResponseDto {
  /** The first day rebuilt, `YYYY-MM-DD`. */
  from!: string;
  /** The last day rebuilt, included. */
  to!: string;
  /** Days of the range with data (a rollup written). */
  daysWithData!: number;
  /** Days of the range without any (no rollup). */
  emptyDays!: number;
  /** Wall time of the recomputation and the write, milliseconds. */
  tookMs!: number;
}
