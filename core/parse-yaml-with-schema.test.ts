import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_ALIAS_COUNT, parseYamlDocument } from "./parse-yaml-with-schema.ts";

afterEach(() => vi.restoreAllMocks());

describe("parseYamlDocument", () => {
  it("prints no warning of the yaml package (they quote the input) to the process", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const parsed = parseYamlDocument("? { secret: MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSj }\n: x\n", "f.yaml");
    expect(parsed.ok).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it("expands a few dozen aliases and refuses a bomb, naming the first alias", () => {
    const ok = `a: &a 1\nb: [${Array(MAX_ALIAS_COUNT / 2).fill("*a").join(", ")}]\n`;
    expect(parseYamlDocument(ok, "f.yaml").ok).toBe(true);
    const bomb = `a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [${Array(10).fill("*a").join(", ")}]\nc: [${Array(10).fill("*b").join(", ")}]\n`;
    const parsed = parseYamlDocument(bomb, "f.yaml");
    expect(parsed).toEqual({ ok: false, problems: [{ file: "f.yaml", line: 2, col: 8, path: "", message: `invalid YAML: aliases expand past the limit of ${MAX_ALIAS_COUNT}: refusing a document that may expand exponentially ("billion laughs")` }] });
  });

  it("quotes tokens of syntax errors through quoteValue (capped, secrets not shown)", () => {
    const parsed = parseYamlDocument(`a: b\n- ${"x".repeat(200)}\n`, "f.yaml");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) for (const p of parsed.problems) expect(p.message.length).toBeLessThanOrEqual(130);
  });
});
