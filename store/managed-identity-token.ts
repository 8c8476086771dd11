/**
 * The password of Azure Database for PostgreSQL with Entra authentication: an access token for
 * `https://ossrdbms-aad.database.windows.net`, from the managed identity endpoint that Azure
 * Container Apps gives a job (`IDENTITY_ENDPOINT`, with `IDENTITY_HEADER` as proof). A token lives
 * about 24 hours; it is reused until five minutes before it expires, then fetched anew (a new
 * connection of the pool asks again, so a long run never presents an expired token).
 */
import { SeatwiseError } from "../core/errors.ts";

/** Entra resource of Azure Database for PostgreSQL (and MySQL) flexible servers. */
export const OSSRDBMS_RESOURCE = "https://ossrdbms-aad.database.windows.net";

/** Container Apps' (and App Service's) managed identity protocol version. */
const API_VERSION = "2019-08-01";
const RENEW_BEFORE_MS = 5 * 60_000;

export interface ManagedIdentityOptions {
  /** `IDENTITY_ENDPOINT`, e.g. http://localhost:42356/msi/token. */
  identityEndpoint: string;
  /** `IDENTITY_HEADER`: sent as X-IDENTITY-HEADER. Secret: never printed. */
  identityHeader: string;
  /** `AZURE_CLIENT_ID` of a user-assigned identity; omit for the system-assigned one. */
  clientId: string | undefined;
  /** Default: Date.now. */
  now?: () => number;
  /** Default: 10 s. */
  timeoutMs?: number;
}

/** Returns a function that resolves to a valid access token (cached until shortly before expiry). */
export function createManagedIdentityTokenSource(options: ManagedIdentityOptions): () => Promise<string> {
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const url = new URL(options.identityEndpoint);
    url.searchParams.set("resource", OSSRDBMS_RESOURCE);
    url.searchParams.set("api-version", API_VERSION);
    if (options.clientId) url.searchParams.set("client_id", options.clientId);
    const where = `${url.origin}${url.pathname}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { "X-IDENTITY-HEADER": options.identityHeader, Metadata: "true" }, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
      throw new SeatwiseError("store.token", `cannot get a PostgreSQL access token from the managed identity endpoint ${where}: ${cause}`);
    }
    const text = await response.text();
    let body: { access_token?: unknown; expires_on?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Reported below as a missing token.
    }
    if (!response.ok || typeof body.access_token !== "string" || body.access_token === "") {
      const said = typeof body.error_description === "string" ? body.error_description : typeof body.error === "string" ? body.error : "no access_token in the answer";
      throw new SeatwiseError("store.token", `the managed identity endpoint ${where} answered ${response.status} for ${OSSRDBMS_RESOURCE}: ${said.slice(0, 200)}`);
    }
    // expires_on: seconds since the epoch, as a string (Container Apps) or a number.
    const expiresOn = Number(body.expires_on);
    const expiresAt = Number.isFinite(expiresOn) && expiresOn > 0 ? expiresOn * 1000 : now() + 60 * 60_000;
    cached = { token: body.access_token, expiresAt };
    return body.access_token;
  };
  return async () => {
    if (cached && cached.expiresAt - RENEW_BEFORE_MS > now()) return cached.token;
    inFlight ??= fetchToken().finally(() => (inFlight = undefined));
    return inFlight;
  };
}
