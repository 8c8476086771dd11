/**
 * JSON Schemas generated from the zod schemas, for editors (`# yaml-language-server: $schema=...`).
 * `npm run schemas` writes them to `schemas/`; a test fails when a committed file drifts.
 */
import { z } from "zod";
import { fleetFileSchema } from "../core/fleet-schema.ts";
import { toolConfigSchema } from "../core/tool-config-schema.ts";
import { policyFileSchema } from "../policies/policy-schema.ts";
import { reclaimPlanSchema } from "../reclaim/plan-schema.ts";

/** File name under `schemas/` → JSON Schema document. */
export function generateJsonSchemas(): Record<string, unknown> {
  return {
    "seatwise.schema.json": {
      ...z.toJSONSchema(toolConfigSchema, { io: "input", unrepresentable: "any" }),
      title: "Seatwise tool configuration (seatwise.yaml)",
    },
    "policy.schema.json": {
      ...z.toJSONSchema(policyFileSchema, { io: "input", unrepresentable: "any" }),
      title: "Seatwise policy file (version 1)",
    },
    "fleet.schema.json": {
      ...z.toJSONSchema(fleetFileSchema, { io: "input", unrepresentable: "any" }),
      title: "Seatwise fleet file (version 1)",
    },
    "reclaim-plan.schema.json": {
      ...z.toJSONSchema(reclaimPlanSchema, { io: "input", unrepresentable: "any" }),
      title: "Seatwise reclamation plan (planVersion 1)",
    },
  };
}
