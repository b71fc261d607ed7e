export class HealthResponseDto {
  /** `ok` when the service can serve requests. */
  status!: 'ok' | 'error';

  /** Whether the database answered a ping just now. */
  db!: 'up' | 'down';
}
