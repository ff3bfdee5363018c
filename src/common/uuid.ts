/**
 * A UUID as the service stores, compares and shows it: lower case. UUIDs compare case-insensitively
 * (RFC 9562), so an id a client sent in upper case names the same row; every id from outside goes
 * through this before it is stored or looked up.
 */
export function canonicalUuid(id: string): string {
  return id.toLowerCase();
}
