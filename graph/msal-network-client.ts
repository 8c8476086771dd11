/**
 * MSAL's network port (`INetworkModule`) over our HTTPS transport, so token requests trust the same
 * extra CA as Graph calls and go through one keep-alive agent. MSAL turns any failure of the port
 * into its bare `network_error` (no host, no cause), so the port keeps the last failure for the
 * token provider to report instead.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { HttpTransport } from "./https-transport.ts";

export interface MsalNetworkClient extends INetworkModule {
  /** The failure of the last request (connection refused, untrusted certificate...), cleared on read. */
  takeFailure(): { url: string; error: unknown } | undefined;
}

export function createMsalNetworkClient(transport: HttpTransport): MsalNetworkClient {
  let failure: { url: string; error: unknown } | undefined;
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    let res;
    try {
      res = await transport.send({
        method,
        url,
        ...(options?.headers ? { headers: options.headers } : {}),
        ...(options?.body !== undefined ? { body: options.body } : {}),
        ...(timeout ? { timeoutMs: timeout } : {}),
      });
    } catch (error) {
      failure = { url, error };
      throw error;
    }
    const text = res.body.toString("utf8");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: "invalid_response", error_description: `non-JSON response with status ${res.status}` };
    }
    return { status: res.status, headers: res.headers, body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send("GET", url, options, timeout),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
    takeFailure() {
      const f = failure;
      failure = undefined;
      return f;
    },
  };
}
