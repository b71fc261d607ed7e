/** A connection string fit for a log line: `scheme://user:password@host` becomes `scheme://***@host`. */
export function redactCredentials(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
