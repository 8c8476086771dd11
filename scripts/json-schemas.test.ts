import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateJsonSchemas } from "./json-schemas.ts";

describe("generated JSON Schemas", () => {
  it("match the committed files in schemas/ (run `npm run schemas` after changing a schema)", () => {
    for (const [name, schema] of Object.entries(generateJsonSchemas())) {
      const committed: unknown = JSON.parse(readFileSync(join(import.meta.dirname, "..", "schemas", name), "utf8"));
      expect(committed, name).toEqual(schema);
    }
  });

  it("describe every tool configuration field", () => {
    const schema = generateJsonSchemas()["seatwise.schema.json"] as { properties: Record<string, { description?: string }> };
    for (const [field, prop] of Object.entries(schema.properties)) expect(prop.description, field).toBeTruthy();
  });
});
