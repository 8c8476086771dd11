/**
 * CrossGuard entry: `pulumi preview --policy-pack provisioning/policy` fails on any guard-rail
 * violation. Thin on purpose: the rules are pure functions in rules.ts, tested there. Never imported
 * by tests (constructing a PolicyPack starts a gRPC server).
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_RULES } from "./rules.ts";

/** The subset of CrossGuard's ResourceValidationArgs the rules use. */
interface ValidationArgs {
  type: string;
  props: Record<string, unknown>;
}

new PolicyPack("seatwise-guard-rails", {
  policies: POLICY_RULES.map((rule) => ({
    name: rule.name,
    description: `${rule.id}: ${rule.description}`,
    enforcementLevel: "mandatory",
    validateResource: (args: ValidationArgs, reportViolation: (message: string) => void) => {
      const violation = rule.check({ type: args.type, props: args.props });
      if (violation !== undefined) reportViolation(`${rule.id}: ${violation}`);
    },
  })),
});
