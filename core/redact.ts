/**
 * The one place that decides what of an input may appear in a message. Errors quote the offending
 * value so a person can find it, but an input file may be a private key given to the wrong option,
 * a token pasted into a field, or `/etc/passwd` named by `extends:`. So a quoted value is capped,
 * and anything that looks like key material or a token is replaced by what it is, never shown.
 * Pure but for one look-up: whether a directory exists, to keep real file paths readable.
 */
import { statSync } from "node:fs";

/** Characters of a quoted value shown at most (the rest is cut with "…"). */
export const MAX_SHOWN_CHARS = 40;

/**
 * A PEM header followed by content (line breaks real or escaped as `\n`), to its END line or to the end
 * of a cut text; a bare mention of a header is kept.
 */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----(?:\s|\\[nr])*(?:[A-Za-z-]+:[^\n]*\n\s*)*[A-Za-z0-9+/=][\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const PEM_MARKER = /-----(?:BEGIN|END) [A-Z0-9 ]*-----/;
/** A JWT: three base64url parts, the first two JSON objects (`eyJ` is `{"`). */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.(?:eyJ[A-Za-z0-9_-]*)?\.?[A-Za-z0-9_-]*/g;
const ASSERTION_PARAM = /\b(client_assertion|client_secret|access_token|refresh_token|assertion|password)(["']?\s*[=:]\s*["']?)[^\s&"',}]+/gi;
/** An unbroken run of base64 characters long enough to be key material (see `isBase64Like`). */
const BASE64_RUN = /[A-Za-z0-9+/=_-]{24,}/g;

/**
 * Whether a run of base64 characters looks like encoded bytes rather than words or a path: random
 * base64 mixes upper case, lower case and digits evenly (a 24-character run has about nine of each
 * case and three digits); paths, GUIDs, hex thumbprints and identifiers do not. `minLength` 24 for
 * free text; quoted values use 16 with stricter proportions (see `quoteValue`).
 */
export function isBase64Like(run: string, minLength = 24): boolean {
  if (run.length < minLength) return false;
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (const ch of run) {
    if (ch >= "A" && ch <= "Z") upper++;
    else if (ch >= "a" && ch <= "z") lower++;
    else if (ch >= "0" && ch <= "9") digit++;
  }
  const n = run.length;
  const share = n < 24 ? 6 : 8;
  return upper >= n / share && lower >= n / share && digit >= Math.max(1, n / 24) && upper + lower + digit >= n * 0.8;
}

/** Runs of 16 or more characters of standard base64 (no separators at all). */
const LONG_PLAIN_RUN = /[A-Za-z0-9+/=]{16,}/g;

/** Cuts every run of 16 or more standard-base64 characters to its first 12 and "…" (input keys in field paths, quoted values). */
export function cutLongRuns(text: string): string {
  return text.replace(LONG_PLAIN_RUN, (run) => `${run.slice(0, 12)}…`);
}

/** Runs of 16 or more base64 characters in a value. */
const SHORT_BASE64_RUN = /[A-Za-z0-9+/=_-]{16,}/g;

/** Characters that end a file path in a message (`file:line:col`, quotes, brackets, lists). */
const PATH_END = /[\s"'`()<>,;:]/;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether the base64-looking `run` at `offset` is part of an absolute file path the file system
 * proves: a temporary folder (`mktemp -d` → `/tmp/tmp.kQ3xZ8aB2L`) mixes case and digits like key
 * material does. The path's longest existing directory is proven; what the run holds beyond it must
 * itself be harmless (shorter than 16 characters or not base64-like), so a key never hides behind a
 * real directory name.
 */
function isProvenPath(text: string, offset: number, run: string): boolean {
  let start = offset;
  while (start > 0 && !PATH_END.test(text[start - 1]!)) start--;
  if (text[start] !== "/") return false;
  let end = offset + run.length;
  while (end < text.length && !PATH_END.test(text[end]!)) end++;
  const path = text.slice(start, end);
  for (let cut = path.lastIndexOf("/"); cut > 0; cut = path.lastIndexOf("/", cut - 1)) {
    if (!isDirectory(path.slice(0, cut))) continue;
    const unproven = text.slice(Math.max(offset, start + cut), offset + run.length);
    // Neither a piece nor the pieces together (key material holds "/" too: `//AAAA…/Ab3…`).
    return !unproven.split("/").some((piece) => isBase64Like(piece, 16)) && !isBase64Like(unproven.replaceAll("/", ""), 16);
  }
  return false;
}

/**
 * Replaces key material, tokens and secret parameters in free text (a whole message). A run inside a
 * file path that exists on this machine is kept (one `stat` per such run; see `isProvenPath`).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(PEM_BLOCK, "[PEM block redacted]")
    .replace(JWT, "[token redacted]")
    .replace(ASSERTION_PARAM, (_m, name: string, sep: string) => `${name}${sep}[redacted]`)
    .replace(BASE64_RUN, (run: string, offset: number, whole: string) => (isBase64Like(run) && !isProvenPath(whole, offset, run) ? "[base64 redacted]" : run));
}

/**
 * True when a value must not be quoted at all: key material, a token, a secret parameter, or a run of
 * 16 or more characters that looks like base64 (a piece of a key is still a secret).
 */
export function looksSecret(text: string): boolean {
  return PEM_MARKER.test(text) || redactSecrets(text) !== text || (text.match(SHORT_BASE64_RUN) ?? []).some((run) => isBase64Like(run, 16));
}

/**
 * A value as an error message may quote it: JSON-quoted, at most `MAX_SHOWN_CHARS` characters, one
 * line, no run of 16 base64 characters (cut to 12 and "…"); a secret-looking value is named, not shown. Objects and lists are described, not printed (they
 * may be a whole document).
 */
export function quoteValue(value: unknown): string {
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `a list of ${value.length}`;
  if (typeof value === "object") return Object.keys(value).length === 0 ? "{}" : "a mapping";
  if (typeof value !== "string") return typeof value;
  if (PEM_MARKER.test(value)) return "a PEM block (not shown)";
  if (looksSecret(value)) return "a secret-looking value (not shown)";
  // No run of 16 standard-base64 characters is ever quoted: a piece of a key cannot appear whole,
  // whatever its letters (long words are cut too; GUIDs, domains and SKU names have separators).
  const oneLine = cutLongRuns(value.replace(/[\r\n\t]+/g, " "));
  const shown = [...oneLine].length > MAX_SHOWN_CHARS ? `${[...oneLine].slice(0, MAX_SHOWN_CHARS).join("")}…` : oneLine;
  return JSON.stringify(shown);
}

/**
 * A message made safe to print: secrets redacted, control characters removed, and only its first
 * line (a message never carries a stack or a file's contents).
 */
export function safeMessageLine(message: string): string {
  const first = redactSecrets(message).split(/\r?\n/, 1)[0] ?? "";
  // eslint-disable-next-line no-control-regex
  return first.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
}
