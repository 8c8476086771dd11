import { describe, expect, it } from "vitest";
import { createCsvRecordParser, parseCsv, parseCsvRecords } from "./csv.ts";

describe("parseCsv", () => {
  it("splits plain fields and rows", () => {
    expect(parseCsv("a,b,c\n1,2,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
  });

  it("strips a UTF-8 byte-order mark from the first field", () => {
    expect(parseCsv("\uFEFFProduct_Display_Name,GUID\r\nx,y\r\n")).toEqual([
      ["Product_Display_Name", "GUID"],
      ["x", "y"],
    ]);
  });

  it("reads CRLF, LF and lone CR line endings alike", () => {
    expect(parseCsv("a\r\nb\nc\rd")).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
    expect(parseCsv('"x, y","say ""hi""","line1\r\nline2"\r\n')).toEqual([["x, y", 'say "hi"', "line1\r\nline2"]]);
  });

  it("keeps empty fields, including a trailing one", () => {
    expect(parseCsv("a,,c,\n")).toEqual([["a", "", "c", ""]]);
    expect(parseCsv('"",x')).toEqual([["", "x"]]);
  });

  it("returns no rows for empty input and one row without a final line break", () => {
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("\uFEFF")).toEqual([]);
    expect(parseCsv("a,b")).toEqual([["a", "b"]]);
  });

  it("reads a blank middle line as a row with one empty field", () => {
    expect(parseCsv("a\n\nb\n")).toEqual([["a"], [""], ["b"]]);
  });
});

describe("parseCsvRecords", () => {
  it("keys records by header name and fills missing trailing fields with empty strings", () => {
    const { header, records } = parseCsvRecords("Report Refresh Date,User Principal Name,Has Archive\r\n2026-11-24,a@x.example\r\n");
    expect(header).toEqual(["Report Refresh Date", "User Principal Name", "Has Archive"]);
    expect(records).toEqual([{ "Report Refresh Date": "2026-11-24", "User Principal Name": "a@x.example", "Has Archive": "" }]);
  });
});

describe("createCsvRecordParser", () => {
  const text =
    '\ufeffUser Principal Name,Notes,Count\r\n"a@c.com","line one\r\nline ""two""",1\r\nb@c.com,"x, y",2\r\nc@c.com,,3\r\n';

  it("gives the same records as parsing the whole text, however the text is cut", () => {
    const whole = parseCsvRecords(text).records;
    for (const size of [1, 2, 3, 5, 7, 16, 1000]) {
      const got: Record<string, string>[] = [];
      const parser = createCsvRecordParser((r) => got.push(r));
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      parser.end();
      expect(got, `chunks of ${size}`).toEqual(whole);
    }
    expect(whole).toHaveLength(3);
    expect(whole[0]!.Notes).toBe('line one\r\nline "two"');
  });

  it("parses a last line without a line break at end", () => {
    const got: Record<string, string>[] = [];
    const parser = createCsvRecordParser((r) => got.push(r));
    parser.push("A,B\n1,2\n3,");
    parser.push("4");
    parser.end();
    expect(got).toEqual([{ A: "1", B: "2" }, { A: "3", B: "4" }]);
  });
});
