import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toolConfigSchema } from "../core/tool-config-schema.ts";
import { renderSeatwiseYaml } from "./seatwise-yaml.ts";

const BASE = { tenantId: "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f", clientId: "0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11", cloud: "global", certificate: "seatwise-reader.pem" };

describe("renderSeatwiseYaml", () => {
  it("writes a file the tool configuration schema accepts, with the given tasks", () => {
    const text = renderSeatwiseYaml({ ...BASE, tasks: ["hrRoster", "licenseInformation"] });
    const parsed = toolConfigSchema.parse(parse(text));
    expect(parsed).toMatchObject({ ...BASE, tasks: ["hrRoster", "licenseInformation"] });
    expect(text.startsWith("# Generated from the Seatwise Pulumi stack outputs")).toBe(true);
  });

  it("writes a reclaimer file the schema accepts, and the store path when given", () => {
    const text = renderSeatwiseYaml({ ...BASE, certificate: "seatwise-reclaimer.pem", tasks: ["reclamation"], store: "/var/lib/seatwise/seatwise.sqlite" });
    expect(toolConfigSchema.parse(parse(text))).toMatchObject({ tasks: ["reclamation"], store: "/var/lib/seatwise/seatwise.sqlite", certificate: "seatwise-reclaimer.pem" });
  });
});
