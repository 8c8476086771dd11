/**
 * Starts the Seatwise simulator in-process: a faithful local Microsoft Graph and Entra token
 * endpoint over a seeded synthetic tenant, on HTTPS at 127.0.0.1 with its own CA. Used by
 * `seatwise simulate`, the demo and the end-to-end tests.
 */
import type { RunningSimulator, SimulatorOptions } from "./contract.ts";
import { createGraphHandler } from "./graph/create-graph-handler.ts";
import { assembleSimulator } from "./server/assemble-simulator.ts";
import { generateTenant } from "./tenant/generate-tenant.ts";

/**
 * Starts a simulator: generates a CA, the server certificate and the reader and reclaimer app
 * identities (new keys on every start), registers both apps in the tenant (reader roles default to
 * every read permission of the task map; reclaimer to LicenseAssignment.ReadWrite.All and
 * User.Read.All), generates the tenant and serves until `close()`.
 *
 * @throws UsageError when an option is out of range (users 10..1,000,000, port, timeScale, faults.rate).
 */
export function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  return assembleSimulator(options, { generateTenant, createGraphHandler });
}
