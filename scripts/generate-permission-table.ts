// Rewrites the permission table in docs/provisioning.md from core/permissions.ts (npm run docs).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderPermissionTable } from "../provisioning/permission-table.ts";

const file = join(import.meta.dirname, "..", "docs", "provisioning.md");
const text = readFileSync(file, "utf8");
const next = text.replace(/(<!-- permission-table:start -->\n)[\s\S]*?(<!-- permission-table:end -->)/, `$1${renderPermissionTable()}$2`);
writeFileSync(file, next);
console.log(next === text ? "docs/provisioning.md: table unchanged" : "docs/provisioning.md: table regenerated");
