import { describe, expect, it } from "vitest";
import { describeDifference, holdsAfter, licenseStateOf, restoringChange, stateAfter } from "./license-state.ts";

const E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";
const E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";
const P1 = "8a256a2b-b617-496d-b51b-e76466e88db0";
const P2 = "11b0131d-43c8-4bbb-b2c8-e80f9a50834a";
const GROUP = "aaaaaaaa-0000-4000-8000-000000000001";

const user = licenseStateOf({
  id: "u",
  accountEnabled: true,
  assignedLicenses: [{ skuId: E5.toUpperCase(), disabledPlans: [P2, P1] }, { skuId: E3, disabledPlans: [] }],
  licenseAssignmentStates: [
    { skuId: E5, assignedByGroup: null, disabledPlans: [P1, P2] },
    { skuId: E3, assignedByGroup: GROUP, disabledPlans: [] },
  ],
});

describe("license state", () => {
  it("compares GUIDs case-insensitively and plan lists as sets", async () => {
    const same = licenseStateOf({ id: "u", accountEnabled: true, assignedLicenses: [{ skuId: E3, disabledPlans: [] }, { skuId: E5, disabledPlans: [P1, P2] }], licenseAssignmentStates: [{ skuId: E3, assignedByGroup: GROUP }, { skuId: E5, assignedByGroup: null, disabledPlans: [P2, P1] }] });
    expect(describeDifference(user, same)).toBeNull();
  });

  it("says what changed: enablement, licenses or disabled plans", async () => {
    expect(describeDifference(user, { ...user, accountEnabled: false })).toMatch(/accountEnabled changed from true to false/);
    expect(describeDifference(user, { ...user, assignedLicenses: [{ skuId: E5, disabledPlans: [P1] }, { skuId: E3, disabledPlans: [] }] })).toMatch(/assignedLicenses changed/);
  });

  it("computes the state after a downgrade call and recognizes it", async () => {
    const change = { addLicenses: [{ skuId: E3, disabledPlans: [P1] }], removeLicenses: [E5] };
    const after = stateAfter(user, change);
    expect(after.assignments).toEqual([
      { skuId: E3, assignedByGroup: null, disabledPlans: [P1] },
      { skuId: E3, assignedByGroup: GROUP.toLowerCase(), disabledPlans: [] },
    ]);
    // Merged like assignedLicenses: a plan stays disabled only when every assignment disables it.
    expect(after.assignedLicenses).toEqual([{ skuId: E3, disabledPlans: [] }]);
    expect(holdsAfter(user, change, after)).toBe(true);
    expect(holdsAfter(user, change, user)).toBe(false);
  });

  it("restores direct assignments exactly, with their disabled plans, and never touches group ones", async () => {
    const after = stateAfter(user, { addLicenses: [], removeLicenses: [E5] });
    expect(restoringChange(after, user)).toEqual({ addLicenses: [{ skuId: E5, disabledPlans: [P2, P1].sort() }], removeLicenses: [] });
    const downgraded = stateAfter(user, { addLicenses: [{ skuId: E3, disabledPlans: [] }], removeLicenses: [E5] });
    expect(restoringChange(downgraded, user)).toEqual({ addLicenses: [{ skuId: E5, disabledPlans: [P2, P1].sort() }], removeLicenses: [E3] });
  });
});
