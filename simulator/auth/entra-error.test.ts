import { describe, expect, it } from "vitest";
import { entraErrorBody, entraTimestamp } from "./entra-error.ts";

describe("entraErrorBody", () => {
  it("formats an error exactly like graph-examples/error-token-invalid_scope.json, plus error_uri", () => {
    const body = entraErrorBody(
      { status: 400, error: "invalid_scope", code: 70011, message: "The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/.default is not valid." },
      { now: new Date("2016-01-09T02:02:12.345Z"), authorityHost: "https://127.0.0.1:1", traceId: "255d1aef-8c98-452f-ac51-23d051240864", correlationId: "fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7" },
    );
    expect(body).toEqual({
      error: "invalid_scope",
      error_description:
        "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/.default is not valid.\r\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\r\nCorrelation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\r\nTimestamp: 2016-01-09 02:02:12Z",
      error_codes: [70011],
      timestamp: "2016-01-09 02:02:12Z",
      trace_id: "255d1aef-8c98-452f-ac51-23d051240864",
      correlation_id: "fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7",
      error_uri: "https://127.0.0.1:1/error?code=70011",
    });
  });

  it("makes fresh trace and correlation ids when none are given", () => {
    const a = entraErrorBody({ status: 401, error: "invalid_client", code: 700027, message: "x" }, { now: new Date(0), authorityHost: "https://h" });
    const b = entraErrorBody({ status: 401, error: "invalid_client", code: 700027, message: "x" }, { now: new Date(0), authorityHost: "https://h" });
    expect(a.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.trace_id).not.toBe(b.trace_id);
    expect(entraTimestamp(new Date(0))).toBe("1970-01-01 00:00:00Z");
  });
});
