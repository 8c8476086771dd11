/**
 * A small RFC 4180 CSV parser shared by the SKU catalogue build script and the collector (usage
 * reports arrive as CSV). Pure: text in, rows out.
 */

/**
 * Parses CSV text into rows of fields.
 *
 * Tolerates what real files contain: a leading UTF-8 byte-order mark, CRLF or LF (or a lone CR)
 * line endings, quoted fields holding commas, doubled quotes (`""`) and line breaks. A final line
 * break does not produce an empty row; a blank line in the middle yields a row with one empty field,
 * as RFC 4180 reads it. Characters after a closing quote and before the next separator are kept
 * (lenient, like most spreadsheet software) rather than rejected.
 */
export function parseCsv(text: string): string[][] {
  return [...csvRows(text)];
}

/**
 * The rows of CSV text one at a time (same rules as `parseCsv`), so a large report is never held as
 * one array of rows. Unquoted fields are sliced, not built character by character.
 */
export function* csvRows(text: string): Generator<string[]> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let row: string[] = [];
  while (i < n) {
    let field: string;
    if (text[i] === '"') {
      // Quoted field: up to the closing quote, "" standing for one quote.
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          value += text.slice(j);
          j = n;
          break;
        }
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Lenient: characters between the closing quote and the next separator are kept.
      let k = j;
      while (k < n && text[k] !== "," && text[k] !== "\r" && text[k] !== "\n") k++;
      field = value + text.slice(j, k);
      i = k;
    } else {
      let k = i;
      while (k < n && text[k] !== "," && text[k] !== "\r" && text[k] !== "\n") k++;
      field = text.slice(i, k);
      i = k;
    }
    row.push(field);
    if (i >= n) break;
    if (text[i] === ",") {
      i++;
      if (i >= n) row.push("");
      continue;
    }
    // Line break: CRLF, LF or a lone CR ends the row.
    i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
    yield row;
    row = [];
  }
  if (row.length > 0) yield row;
}

/**
 * Parses CSV whose first row is a header into records keyed by header name (report columns are
 * matched by name, never by position: documented examples omit columns). Missing trailing fields
 * read as "".
 */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  return { header, records: rows.map((row) => recordOf(header, row)) };
}

/** A row keyed by header name; missing trailing fields read as "". */
function recordOf(header: readonly string[], row: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  header.forEach((h, k) => {
    record[h] = row[k] ?? "";
  });
  return record;
}

/**
 * Incremental CSV with a header row: `push` text as it arrives (any chunking), `end` when done;
 * `onRecord` gets each record keyed by header name, in order. Only the unfinished last line is
 * buffered, so a report of any size needs memory for one chunk. Rows are cut at line feeds outside
 * quotes (CRLF and LF files); a file with lone-CR line ends is parsed whole at `end`.
 */
export function createCsvRecordParser(onRecord: (record: Record<string, string>) => void): { push(text: string): void; end(): void } {
  let pending = "";
  let header: string[] | undefined;
  let inQuotes = false;
  /** How far `pending` has been scanned for quotes (the state `inQuotes` holds up to there). */
  let scanned = 0;
  const emit = (text: string) => {
    for (const row of csvRows(text)) {
      if (!header) header = row;
      else onRecord(recordOf(header, row));
    }
  };
  return {
    push(text) {
      pending += text;
      let cut = -1;
      for (let i = scanned; i < pending.length; i++) {
        const c = pending.charCodeAt(i);
        if (c === 34) inQuotes = !inQuotes;
        else if (c === 10 && !inQuotes) cut = i;
      }
      scanned = pending.length;
      if (cut < 0) return;
      emit(pending.slice(0, cut + 1));
      pending = pending.slice(cut + 1);
      // The remainder was scanned already; quote state carries over unchanged.
      scanned = pending.length;
    },
    end() {
      if (pending.length > 0) emit(pending);
      pending = "";
    },
  };
}

/**
 * A CSV cell, safe against spreadsheet formula injection: text starting with = + - @ tab or CR gets
 * a leading quote mark (finite numbers stay numbers); quoted when it holds a comma, quote or line break.
 * Arrays are joined with "; ".
 */
export function csvCell(value: string | number | boolean | null | undefined | readonly string[]): string {
  let s = value === null || value === undefined ? "" : Array.isArray(value) ? value.join("; ") : String(value);
  // A finite number is data to a spreadsheet; "-Infinity" or any text starting so is a formula.
  if ((typeof value !== "number" || !Number.isFinite(value)) && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
