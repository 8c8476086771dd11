/**
 * `*` wildcards (any run of characters, empty included), case-insensitive, matched in time linear
 * in the text and the pattern. A pattern compiled to a regular expression (`.*` per star) backtracks:
 * `********x` against a long name takes exponential-looking time. Here the pattern is split at its
 * stars; the first piece must start the text, the last must end it, and each piece in between is
 * found leftmost after the previous one (leftmost is always right for `*`-only patterns) with a
 * Knuth–Morris–Pratt search that resumes where the previous piece ended: the text is scanned once,
 * at most 2 × its length character comparisons in all. Pure.
 */

/** A compiled glob. `steps`, when given, counts character comparisons (for tests of linearity). */
export interface Glob {
  readonly pattern: string;
  test(text: string, steps?: { count: number }): boolean;
}

/** Compiles a `*` glob (no other metacharacters: `?`, `[` and `\` are literal). */
export function compileGlob(pattern: string): Glob {
  const pieces = pattern.toLowerCase().split("*");
  if (pieces.length === 1) {
    const exact = pieces[0]!;
    return {
      pattern,
      test: (text, steps) => {
        if (steps) steps.count += Math.min(text.length, exact.length) + 1;
        return text.toLowerCase() === exact;
      },
    };
  }
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
  const failures = middle.map(failureTable);
  const minLength = first.length + last.length + middle.reduce((n, p) => n + p.length, 0);
  return {
    pattern,
    test(raw, steps) {
      const counter = steps ?? { count: 0 };
      counter.count++;
      const text = raw.toLowerCase();
      if (text.length < minLength) return false;
      counter.count += first.length + last.length;
      if (!text.startsWith(first) || !text.endsWith(last)) return false;
      let from = first.length;
      const end = text.length - last.length;
      for (const [i, piece] of middle.entries()) {
        const at = indexOfKmp(text, piece, failures[i]!, from, end, counter);
        if (at < 0) return false;
        from = at + piece.length;
      }
      return true;
    },
  };
}

/** KMP failure function: for each prefix of `p`, the length of its longest proper border. */
function failureTable(p: string): Int32Array {
  const f = new Int32Array(p.length);
  let k = 0;
  for (let i = 1; i < p.length; i++) {
    while (k > 0 && p[i] !== p[k]) k = f[k - 1]!;
    if (p[i] === p[k]) k++;
    f[i] = k;
  }
  return f;
}

/** First index ≥ `from` where `p` occurs in `text` ending at or before `end`, or -1. */
function indexOfKmp(text: string, p: string, f: Int32Array, from: number, end: number, steps: { count: number }): number {
  let k = 0;
  for (let i = from; i < end; i++) {
    steps.count++;
    while (k > 0 && text[i] !== p[k]) {
      k = f[k - 1]!;
      steps.count++;
    }
    if (text[i] === p[k]) k++;
    if (k === p.length) return i - p.length + 1;
  }
  return -1;
}

/** Whether `text` matches any of the globs; the first that does, or undefined. */
export function firstMatchingGlob(globs: readonly Glob[], ...texts: string[]): Glob | undefined {
  return globs.find((g) => texts.some((t) => g.test(t)));
}
