/**
 * Protect groups named by the shipped pack are suggestions; groups the user's own policy names are
 * not. The composed policy says which is which, and `missingProtectGroups` compares it to a snapshot.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingProtectGroups } from "../policies/missing-protect-groups.ts";
import { readPolicy } from "../policies/read-policy.ts";

function policyFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "seatwise-protect-")), "policy.yaml");
  writeFileSync(file, text);
  return file;
}

describe("suggested protect groups", () => {
  it("marks every group of the shipped pack as a suggestion when no policy file is given", () => {
    const policy = readPolicy([]);
    expect(policy.protect.groups).toEqual(["Emergency Access Accounts", "Break Glass Accounts", "Seatwise-Protected"]);
    expect(policy.suggestedProtectGroups).toEqual(policy.protect.groups);
  });

  it("makes a group the user's policy names (in any case) its own, even when the shipped pack names it too", () => {
    const file = policyFile(`version: 1\nextends: default\nprotect:\n  groups: ["break glass accounts", "Finance Admins"]\n`);
    const policy = readPolicy([file]);
    expect(policy.protect.groups).toEqual(["Emergency Access Accounts", "Break Glass Accounts", "Seatwise-Protected", "break glass accounts", "Finance Admins"]);
    expect(policy.suggestedProtectGroups).toEqual(["Emergency Access Accounts", "Seatwise-Protected"]);
  });

  it("lists the policy's groups a snapshot does not know, by name or id, saying which are suggestions", () => {
    const file = policyFile(`version: 1\nextends: default\nprotect:\n  groups: ["Finance Admins", "0d3b1e0c-7a4f-4b43-9a55-2b8e8c7f9d11"]\n`);
    const policy = readPolicy([file]);
    const groups = [
      { id: "aaaaaaaa-0000-0000-0000-000000000001", displayName: "emergency access accounts" },
      { id: "0D3B1E0C-7A4F-4B43-9A55-2B8E8C7F9D11", displayName: "Some group" },
    ];
    expect(missingProtectGroups(policy, groups)).toEqual([
      { name: "Break Glass Accounts", suggested: true },
      { name: "Seatwise-Protected", suggested: true },
      { name: "Finance Admins", suggested: false },
    ]);
  });
});
