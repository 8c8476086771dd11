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
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  // Tracks whether the current row has any content, so a trailing line break ends the input cleanly.
  let rowStarted = false;
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      inQuotes = true;
      rowStarted = true;
      i += 1;
    } else if (c === ",") {
      row.push(field);
      field = "";
      rowStarted = true;
      i += 1;
    } else if (c === "\r" || c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      rowStarted = false;
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += c;
      rowStarted = true;
      i += 1;
    }
  }
  if (rowStarted || inQuotes) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Parses CSV whose first row is a header into records keyed by header name (report columns are
 * matched by name, never by position: documented examples omit columns). Missing trailing fields
 * read as "".
 */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const rows = parseCsv(text);
  const header = rows[0] ?? [];
  const records = rows.slice(1).map((r) => {
    const rec: Record<string, string> = {};
    header.forEach((h, k) => {
      rec[h] = r[k] ?? "";
    });
    return rec;
  });
  return { header, records };
}
