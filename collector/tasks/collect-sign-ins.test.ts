import { describe, expect, it } from "vitest";
import { workloadOfApp } from "../../core/collected-records.ts";

describe("workloadOfApp", () => {
  it("recognises the workloads only sign-ins reveal", () => {
    expect(workloadOfApp("00000009-0000-0000-c000-000000000000", "Power BI Service")).toBe("powerBi");
    expect(workloadOfApp("x", "Microsoft Power BI")).toBe("powerBi");
    expect(workloadOfApp("00000007-0000-0000-c000-000000000000", "anything")).toBe("dynamics");
    expect(workloadOfApp("x", "Dynamics 365 Sales")).toBe("dynamics");
    expect(workloadOfApp("x", "Project Online")).toBe("project");
    expect(workloadOfApp("x", "Visio Online")).toBe("visio");
  });

  it("does not mistake third-party apps for Microsoft workloads", () => {
    expect(workloadOfApp("x", "Contoso CRM Cloud")).toBeUndefined();
    expect(workloadOfApp("x", "Office 365 Exchange Online")).toBeUndefined();
  });
});
