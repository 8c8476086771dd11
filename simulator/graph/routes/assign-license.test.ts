import { describe, expect, it } from "vitest";
import { ASSIGN_LICENSE_ROUTES, MSG_INHERITED, MSG_NOT_HELD, MSG_USAGE_LOCATION } from "./assign-license.ts";
import { buildFakeTenant, call, fakeContext, PLAN_TEAMS, SKU_COMPANY, SKU_E3, SKU_E5, SKU_NOT_OWNED, SKU_VISIO, userId } from "./fake-tenant.test-helper.ts";
import type { FakeTenantOptions } from "./fake-tenant.test-helper.ts";

function setup(options: FakeTenantOptions = {}) {
  const tenant = buildFakeTenant(options);
  const ctx = fakeContext(tenant);
  const post = (user: string, body: unknown) => call(ASSIGN_LICENSE_ROUTES, ctx, { method: "POST", path: `/users/${user}/assignLicense`, body });
  return { tenant, post };
}

function error(res: { status: number; json?: unknown }): { status: number; code: string; message: string } {
  const e = (res.json as { error: { code: string; message: string } }).error;
  return { status: res.status, code: e.code, message: e.message };
}

describe("assignLicense", () => {
  it("requires both addLicenses and removeLicenses", async () => {
    const { post } = setup();
    const res = await post("alice@contoso.com", { addLicenses: [] });
    expect(error(res)).toMatchObject({ status: 400, message: expect.stringContaining("The missing parameters are: removeLicenses.") });
  });

  it("refuses a SKU the tenant does not own", async () => {
    const { post } = setup();
    const res = await post("alice@contoso.com", { addLicenses: [{ skuId: SKU_NOT_OWNED, disabledPlans: [] }], removeLicenses: [] });
    expect(error(res)).toEqual({ status: 400, code: "Request_BadRequest", message: `License ${SKU_NOT_OWNED} does not correspond to a valid company License.` });
  });

  it("refuses a company-wide SKU and a skuId that is not a GUID", async () => {
    const { post } = setup();
    expect(error(await post("alice@contoso.com", { addLicenses: [{ skuId: SKU_COMPANY, disabledPlans: [] }], removeLicenses: [] })).status).toBe(400);
    expect(error(await post("alice@contoso.com", { addLicenses: [], removeLicenses: ["E3"] })).status).toBe(400);
  });

  it("refuses to remove a license the user does not hold", async () => {
    const { post } = setup();
    const res = await post("alice@contoso.com", { addLicenses: [], removeLicenses: [SKU_VISIO] });
    expect(error(res)).toEqual({ status: 400, code: "Request_BadRequest", message: MSG_NOT_HELD });
  });

  it("refuses to remove a license inherited from a group when there is no direct assignment", async () => {
    const { post, tenant } = setup();
    const res = await post("bob@contoso.com", { addLicenses: [], removeLicenses: [SKU_E5] });
    expect(error(res)).toEqual({ status: 400, code: "Request_BadRequest", message: MSG_INHERITED });
    expect(tenant.userAt(1).licenses).toHaveLength(1);
  });

  it("removes only the direct assignment when the user also inherits the SKU", async () => {
    const { post, tenant } = setup();
    const before = tenant.consumedUnits(SKU_E3);
    const res = await post("carol@contoso.com", { addLicenses: [], removeLicenses: [SKU_E3] });
    expect(res.status).toBe(200);
    expect(tenant.userAt(2).licenses.map((l) => l.assignedByGroup)).toEqual(["9d1b2c3e-0000-4000-8000-0000000000e3"]);
    expect(tenant.consumedUnits(SKU_E3)).toBe(before);
  });

  it("refuses to add a license for a user without a usage location", async () => {
    const { post } = setup();
    const res = await post("erin@contoso.com", { addLicenses: [{ skuId: SKU_E3, disabledPlans: [] }], removeLicenses: [] });
    expect(error(res)).toEqual({ status: 400, code: "Request_BadRequest", message: MSG_USAGE_LOCATION });
  });

  it("refuses to add a license when no seat is free, and changes nothing", async () => {
    // Visio: 1 seat, held by dave.
    const { post, tenant } = setup({ seats: { [SKU_VISIO]: 1 } });
    const res = await post("alice@contoso.com", { addLicenses: [{ skuId: SKU_VISIO, disabledPlans: [] }], removeLicenses: [SKU_E3] });
    expect(error(res)).toMatchObject({ status: 400, code: "Request_BadRequest", message: expect.stringContaining("does not have any available licenses") });
    expect(tenant.userAt(0).licenses.map((l) => l.skuId)).toEqual([SKU_E3]);
  });

  it("applies a downgrade atomically, updates consumedUnits and answers the updated user", async () => {
    const { post, tenant } = setup();
    const e3 = tenant.consumedUnits(SKU_E3);
    const visio = tenant.consumedUnits(SKU_VISIO);
    const res = await post(userId(0), { addLicenses: [{ skuId: SKU_VISIO, disabledPlans: [PLAN_TEAMS] }], removeLicenses: [SKU_E3] });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: userId(0), accountEnabled: true, assignedLicenses: [{ disabledPlans: [PLAN_TEAMS], skuId: SKU_VISIO }] });
    expect(tenant.consumedUnits(SKU_E3)).toBe(e3 - 1);
    expect(tenant.consumedUnits(SKU_VISIO)).toBe(visio + 1);
    const lic = tenant.userAt(0).licenses[0]!;
    expect(lic).toMatchObject({ skuId: SKU_VISIO, assignedByGroup: null, state: "Active", lastUpdatedDateTime: "2026-11-20T12:00:00Z" });
  });

  it("updates disabled plans of a held license without taking a seat", async () => {
    const { post, tenant } = setup({ seats: { [SKU_E3]: 0 } });
    const res = await post("alice@contoso.com", { addLicenses: [{ skuId: SKU_E3, disabledPlans: [PLAN_TEAMS] }], removeLicenses: [] });
    expect(res.status).toBe(200);
    expect(tenant.userAt(0).licenses.map((l) => [l.skuId, l.disabledPlans])).toEqual([[SKU_E3, [PLAN_TEAMS]]]);
  });

  it("answers 404 for an unknown user", async () => {
    const { post } = setup();
    expect((await post("nobody@contoso.com", { addLicenses: [], removeLicenses: [] })).status).toBe(404);
  });
});
