/**
 * The I/O edge from a tool configuration to Microsoft Graph: read the certificate credential and the
 * extra CA once, then one keep-alive transport, one MSAL token provider and one Graph client over it.
 */
import { createTokenProvider, type TokenProvider } from "../graph/create-token-provider.ts";
import { createGraphClient, type GraphClient, type GraphEvent } from "../graph/graph-client.ts";
import { createHttpsTransport } from "../graph/https-transport.ts";
import { readCaFile, readCertificateCredential, type ToolConfig } from "./read-tool-config.ts";

/** The Graph client's default of concurrent requests (graph/graph-client.ts). */
const DEFAULT_MAX_CONCURRENCY = 4;

export interface GraphConnection {
  tokens: TokenProvider;
  graph: GraphClient;
  close(): void;
}

/**
 * `timeScale` only for a simulator started with the same time scale (benchmarks); default 1.
 * `maxSockets` caps the connection's open sockets across origins (a fleet tenant's share of the
 * fleet's connection limit); default the transport's 16 per origin. The Graph client never runs more
 * requests at once than it has sockets.
 */
export function connectGraph(config: ToolConfig, options: { onEvent?: (e: GraphEvent) => void; timeScale?: number; maxSockets?: number } = {}): GraphConnection {
  const credential = readCertificateCredential(config.certificatePath);
  const caPem = config.caFile ? readCaFile(config.caFile) : undefined;
  const transport = createHttpsTransport({ ...(caPem ? { caPem } : {}), ...(options.maxSockets ? { maxSockets: options.maxSockets, maxTotalSockets: options.maxSockets } : {}) });
  const tokens = createTokenProvider({ ...config, credential, transport });
  const graph = createGraphClient({
    graphEndpoint: config.graphEndpoint,
    transport,
    tokens,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    ...(options.maxSockets ? { maxConcurrency: Math.min(DEFAULT_MAX_CONCURRENCY, options.maxSockets) } : {}),
  });
  return { tokens, graph, close: () => transport.close() };
}
