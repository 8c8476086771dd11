/**
 * MSAL's network port (`INetworkModule`) over our HTTPS transport, so token requests trust the same
 * extra CA as Graph calls and go through one keep-alive agent.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import type { HttpTransport } from "./https-transport.ts";

export function createMsalNetworkClient(transport: HttpTransport): INetworkModule {
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const res = await transport.send({
      method,
      url,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
      ...(timeout ? { timeoutMs: timeout } : {}),
    });
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
  };
}
