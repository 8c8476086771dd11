// Writes the JSON Schemas generated from the zod schemas into schemas/ (run: npm run schemas).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateJsonSchemas } from "./json-schemas.ts";

const dir = join(import.meta.dirname, "..", "schemas");
for (const [name, schema] of Object.entries(generateJsonSchemas())) {
  writeFileSync(join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schemas/${name}`);
}
