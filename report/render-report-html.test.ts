import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { embedJson } from "./render-report-html.ts";

describe("embedJson", () => {
  it("gives back the value and can never end the script element", () => {
    const hostile = fc.constantFrom("</script>", "</SCRIPT ", "<!--", "<script>", "\u2028", "\u2029", "&", ">", "<img src=x onerror=alert(1)>", "\\u003c");
    const text = fc.array(fc.oneof(fc.string(), hostile), { maxLength: 6 }).map((parts) => parts.join(""));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(text, tie("value"), { maxKeys: 4 })),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const embedded = embedJson(value);
        expect(embedded).not.toMatch(/[<>\u2028\u2029]/);
        expect(JSON.parse(embedded)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});
