/**
 * `a.localeCompare(b)` for the names findings are sorted by (UPNs, SKU part numbers), fast. Such names
 * are mostly letters, digits and `_ - . ' @ # +`; for those, the root collation that `localeCompare`
 * uses orders by one weight per character at the first (primary) level — punctuation in the order
 * above, then digits, then letters, case ignored — so comparing weights gives its answer without a
 * call into ICU. Names with any other character, or equal but for case, go to the collator. A test
 * checks the two agree.
 */
const collator = new Intl.Collator();

/** Primary weight per UTF-16 code unit below 128; 0 = not handled here. */
const WEIGHT = new Uint8Array(128);
"_-.'@#+".split("").forEach((c, i) => (WEIGHT[c.charCodeAt(0)] = 1 + i));
for (let d = 0; d < 10; d++) WEIGHT[48 + d] = 10 + d;
for (let l = 0; l < 26; l++) WEIGHT[97 + l] = WEIGHT[65 + l] = 20 + l;

/** Same sign as `a.localeCompare(b)`. */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    const wx = x < 128 ? WEIGHT[x]! : 0;
    const wy = y < 128 ? WEIGHT[y]! : 0;
    if (wx === 0 || wy === 0) return collator.compare(a, b);
    if (wx !== wy) {
      // The rest of both names must be handled here too, else a later character could decide differently.
      for (let k = i + 1; k < a.length; k++) if (a.charCodeAt(k) >= 128 || WEIGHT[a.charCodeAt(k)] === 0) return collator.compare(a, b);
      for (let k = i + 1; k < b.length; k++) if (b.charCodeAt(k) >= 128 || WEIGHT[b.charCodeAt(k)] === 0) return collator.compare(a, b);
      return wx - wy;
    }
  }
  return collator.compare(a, b);
}

const PLAIN = /^[A-Za-z0-9_\-.'@#+]+$/;
/** Punctuation mapped below the digits, in collation order; digits and lower-case letters keep their code units (already in order). */
const PUNCTUATION_KEY: readonly [string, string][] = [["_", "\u0002"], ["-", "\u0003"], [".", "\u0004"], ["'", "\u0005"], ["@", "\u0006"], ["#", "\u0007"], ["+", "\u0008"]];

/** A plain name's primary weights as a string whose code units sort in collation order (native replaces, no callbacks). */
function weightKey(name: string): string {
  let key = name.toLowerCase();
  for (const [c, k] of PUNCTUATION_KEY) if (key.includes(c)) key = key.replaceAll(c, k);
  return key;
}

/**
 * `names` sorted as `localeCompare` sorts them, faster than `sort(compareNames)`: a plain name's
 * primary weights become a string whose code units are in collation order (lower-cased, punctuation
 * mapped below the digits), and plain names sort natively on it (names equal but for case are then put
 * in collator order); the others are sorted with `compareNames` and merged in.
 */
export function sortNames(names: readonly string[]): string[] {
  const plain: string[] = [];
  const other: string[] = [];
  for (const name of names) {
    // Key, then a separator below every key unit, then the name (carried through the native sort).
    if (PLAIN.test(name)) plain.push(`${weightKey(name)}\u0001${name}`);
    else other.push(name);
  }
  plain.sort();
  const sorted = plain.map((k) => k.slice(k.indexOf("\u0001") + 1));
  // Names whose keys tie (same letters, different case) are ordered by the collator.
  for (let i = 0; i < plain.length; ) {
    const prefix = plain[i]!.slice(0, plain[i]!.indexOf("\u0001") + 1);
    let j = i + 1;
    while (j < plain.length && plain[j]!.startsWith(prefix)) j++;
    if (j - i > 1) sorted.splice(i, j - i, ...sorted.slice(i, j).sort(collator.compare));
    i = j;
  }
  if (other.length === 0) return sorted;
  other.sort(compareNames);
  const out: string[] = [];
  let a = 0;
  let b = 0;
  while (a < sorted.length && b < other.length) out.push(compareNames(sorted[a]!, other[b]!) <= 0 ? sorted[a++]! : other[b++]!);
  while (a < sorted.length) out.push(sorted[a++]!);
  while (b < other.length) out.push(other[b++]!);
  return out;
}
