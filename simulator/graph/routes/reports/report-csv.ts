/**
 * The CSV form of Microsoft 365 usage reports: UTF-8 with a BOM, CRLF line endings, the documented
 * header, RFC 4180 quoting. Booleans are written `True`/`False` and nulls as empty cells, as the
 * downloaded report files show them.
 */

/** One cell before formatting. */
export type CsvCell = string | number | boolean | null;

/** Formats one cell: quotes when it holds a comma, quote, CR or LF. */
export function csvCell(v: CsvCell): string {
  if (v === null) return "";
  if (typeof v === "boolean") return v ? "True" : "False";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole file: BOM, header line, then one line per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): Buffer {
  // Encode in ~1 MB chunks so a million-row report never holds the whole file as one JS string too.
  const chunks: Buffer[] = [];
  let text = "\uFEFF" + header.map(csvCell).join(",") + "\r\n";
  for (const row of rows) {
    text += row.map(csvCell).join(",") + "\r\n";
    if (text.length >= 1 << 20) {
      chunks.push(Buffer.from(text, "utf8"));
      text = "";
    }
  }
  chunks.push(Buffer.from(text, "utf8"));
  return Buffer.concat(chunks);
}
