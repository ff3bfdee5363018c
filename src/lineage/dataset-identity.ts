// TEMPORARY stand-in per the shared contract until helper 1's version is merged (theirs wins).
export function datasetIdentity(namespace: string, name: string): { namespace: string; name: string } {
  const ns = namespace.trim().replace(/\/+$/, '');
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/]*)(.*)$/.exec(ns);
  return { namespace: m ? m[1].toLowerCase() + m[2].toLowerCase() + m[3] : ns, name: name.trim() };
}
