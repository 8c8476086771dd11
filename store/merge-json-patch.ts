/**
 * JSON Merge Patch (RFC 7396), as SQLite's `json_patch` computes it: objects merge key by key, a
 * null in the patch removes the key, anything else (arrays included) replaces. Done in TypeScript
 * so that both engines store the same document.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

export function mergeJsonPatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  // A Map, then Object.fromEntries: a "__proto__" key stays a plain key, as in JSON.
  const out = new Map<string, unknown>(isObject(target) ? Object.entries(target) : []);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) out.delete(key);
    else out.set(key, mergeJsonPatch(out.get(key), value));
  }
  return Object.fromEntries(out);
}
