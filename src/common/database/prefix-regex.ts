/** A case-sensitive prefix match an ascending index can serve: callers pass lower-cased text. */
export function prefixRegex(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}
