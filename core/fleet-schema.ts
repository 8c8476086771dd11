/**
 * The one schema of a fleet file (`fleet.yaml`): the tenant configuration files collected together
 * into one store, and the limits of a fleet run. Types derive from it; defaults and descriptions live
 * in it; `schemas/fleet.schema.json` is generated from it for editors.
 */
import { z } from "zod";

/** Default of `maxConcurrentTenants`. */
export const DEFAULT_MAX_CONCURRENT_TENANTS = 8;
/** Default of `maxOpenConnections`. */
export const DEFAULT_MAX_OPEN_CONNECTIONS = 64;

export const fleetFileSchema = z
  .strictObject({
    version: z.literal(1).describe("Version of the fleet file format. Always 1."),
    tenants: z
      .array(
        z.strictObject({
          config: z.string().min(1).describe("Path of the tenant's seatwise.yaml, relative to this file."),
        }),
      )
      .min(1)
      .describe("The tenants of the fleet, each by its tool configuration file (one seatwise.yaml per tenant)."),
    store: z
      .string()
      .min(1)
      .optional()
      .describe("Store every tenant is collected into, overriding each tenant's own store (a file path relative to this file, or a postgres:// URL). Default: each tenant's configured store."),
    maxConcurrentTenants: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(DEFAULT_MAX_CONCURRENT_TENANTS)
      .describe(`Tenants collected at the same time; the others wait for a free slot (bounds memory). Default: ${DEFAULT_MAX_CONCURRENT_TENANTS}.`),
    maxOpenConnections: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(DEFAULT_MAX_OPEN_CONNECTIONS)
      .describe(
        `HTTPS connections to Microsoft Graph and Entra open at once across the whole fleet; each running tenant gets an equal share (at least 1). Default: ${DEFAULT_MAX_OPEN_CONNECTIONS}.`,
      ),
  })
  .superRefine((f, ctx) => {
    if (f.maxOpenConnections < f.maxConcurrentTenants) {
      ctx.addIssue({ code: "custom", path: ["maxOpenConnections"], message: `must be at least maxConcurrentTenants (${f.maxConcurrentTenants}): every running tenant needs a connection` });
    }
  });

/** fleet.yaml as written (defaults applied). */
export type FleetFile = z.output<typeof fleetFileSchema>;
