export const DEFAULT_DATABASE_NAME = 'craftsmen';

/** MONGODB_DB_NAME, else the database named in the connection string, else `craftsmen`. */
export function databaseNameFor(uri: string, configured?: string): string {
  if (configured) {
    return configured;
  }
  const afterHosts = uri.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '');
  const name = afterHosts.replace(/^\//, '').split('?')[0];
  return name ? decodeURIComponent(name) : DEFAULT_DATABASE_NAME;
}
