/**
 * The commercial subscriptions behind the synthetic tenant's SKUs (GET /directory/subscriptions).
 * Deterministic from the seed and the clock. Each SKU's seats are split over one to three
 * subscriptions whose `totalLicenses` add up to its prepaid units, with the terms a real tenant mixes:
 * annual and three-year commitments with renewal dates spread over the year, monthly terms, one term
 * the span of its dates does not reveal (co-terminated), a trial with users on it, one subscription in
 * `Warning` after its expiry (the SKU in its grace period) and one `Suspended` batch of extra seats.
 *
 * Graph has no term field: `createdDateTime` → `nextLifecycleDateTime` spans one month, one year or
 * three years for monthly, annual and three-year terms; `truthTerm` records what the generator meant.
 */
import type { SimSku, SimSubscription } from "../model.ts";
import { formatIsoInstant } from "./iso-dates.ts";
import type { LicenseRole } from "./license-roles.ts";
import { guidFrom, hash32, wordOf } from "./prng.ts";

const DAY_MS = 86_400_000;

/** Inputs of `generateSubscriptions`. */
export interface SubscriptionInputs {
  seed: number;
  nowMs: number;
  /** The tenant's SKUs; `prepaidUnits.suspended` and `subscriptionIds` are updated in place. */
  skus: SimSku[];
  /** The license role a SKU serves, when it serves one (several roles may share a SKU). */
  roleOf(skuId: string): LicenseRole | undefined;
}

type Plan = { share: number; term: "monthly" | "annual" | "triennial" | "unknown" | "trial" }[];

/** How each role's seats are bought; SKUs without a role (or unlisted roles) get ANNUAL or ANNUAL_MONTHLY. */
const PLANS: Partial<Record<LicenseRole, Plan>> = {
  e3: [
    { share: 0.7, term: "annual" },
    { share: 0.2, term: "monthly" },
    { share: 0.1, term: "unknown" },
  ],
  e5: [{ share: 1, term: "triennial" }],
  f3: [{ share: 1, term: "monthly" }],
  powerBi: [
    { share: 0.7, term: "annual" },
    { share: 0.3, term: "trial" },
  ],
};
const ANNUAL: Plan = [{ share: 1, term: "annual" }];
const ANNUAL_MONTHLY: Plan = [
  { share: 0.8, term: "annual" },
  { share: 0.2, term: "monthly" },
];
/** The role whose SKU also carries a suspended batch of seats (not paid, still listed). */
const SUSPENDED_ROLE: LicenseRole = "exo2";

/** Midnight UTC `days` days from `nowMs`. */
function dayFrom(nowMs: number, days: number): number {
  return (Math.floor(nowMs / DAY_MS) + days) * DAY_MS;
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

/** Generates the subscriptions; also sets each SKU's `subscriptionIds` (and the suspended units). */
export function generateSubscriptions(input: SubscriptionInputs): SimSubscription[] {
  const { seed, nowMs } = input;
  const out: SimSubscription[] = [];
  const committed: { sub: SimSubscription; planned: Plan[number]["term"] }[] = [];
  for (const sku of input.skus) {
    const role = input.roleOf(sku.skuId);
    const h = hash32(seed, wordOf(sku.skuId), 0x5c);
    const subs: SimSubscription[] = [];
    const make = (n: number, status: SimSubscription["status"], isTrial: boolean, createdMs: number, nextMs: number, truthTerm: SimSubscription["truthTerm"]): SimSubscription => {
      // The first keeps the id subscribedSkus always listed for this SKU.
      const id = guidFrom(seed, wordOf(sku.skuId), subs.length === 0 ? 0x5b : 0x5b + subs.length * 0x100);
      const sub: SimSubscription = {
        id,
        commerceSubscriptionId: guidFrom(seed, wordOf(id), 0xc0),
        skuId: sku.skuId,
        skuPartNumber: sku.skuPartNumber,
        status,
        isTrial,
        createdDateTime: formatIsoInstant(createdMs),
        nextLifecycleDateTime: formatIsoInstant(nextMs),
        totalLicenses: n,
        truthTerm,
      };
      subs.push(sub);
      return sub;
    };
    if (sku.capabilityStatus === "Warning") {
      // Expired ten days ago after a one-year term; moves on (suspended) at the end of its 30-day grace.
      const expired = dayFrom(nowMs, -10);
      make(sku.prepaidUnits.warning, "Warning", false, addMonths(expired, -12), dayFrom(nowMs, 20), "annual");
    } else {
      const total = sku.prepaidUnits.enabled;
      const plan = PLANS[role as LicenseRole] ?? (total >= 20 && h % 2 === 1 ? ANNUAL_MONTHLY : ANNUAL);
      let left = total;
      plan.forEach((p, k) => {
        const n = k === plan.length - 1 ? left : Math.min(left, Math.round(total * p.share));
        if (n <= 0 && !(k === 0 && total === 0)) return;
        left -= n;
        if (p.term === "monthly") {
          const next = dayFrom(nowMs, 1 + (hash32(h, k) % 30));
          make(n, "Enabled", false, addMonths(next, -1), next, "monthly");
        } else if (p.term === "trial") {
          const created = dayFrom(nowMs, -20);
          make(n, "Enabled", true, created, created + 30 * DAY_MS, "monthly");
        } else {
          // Renewal dates are spread over the year below; placeholders until then.
          const sub = make(n, "Enabled", false, nowMs, nowMs, p.term === "unknown" ? "unknown" : "annual");
          committed.push({ sub, planned: p.term });
        }
      });
      if (role === SUSPENDED_ROLE) {
        const n = 5 + (h % 10);
        const expired = dayFrom(nowMs, -45);
        make(n, "Suspended", false, addMonths(expired, -12), dayFrom(nowMs, 45), "annual");
        sku.prepaidUnits = { ...sku.prepaidUnits, suspended: sku.prepaidUnits.suspended + n };
      }
    }
    sku.subscriptionIds = subs.map((s) => s.id);
    out.push(...subs);
  }
  // Committed terms renew on dates spread evenly over the year from a seeded start.
  const start = hash32(seed, 0x5d) % 365;
  committed.forEach(({ sub, planned }, j) => {
    const next = dayFrom(nowMs, 1 + ((start + Math.floor((j * 365) / committed.length)) % 365));
    // A co-terminated subscription: its dates span neither a month nor a year.
    const created = planned === "triennial" ? addMonths(next, -36) : planned === "unknown" ? next - 200 * DAY_MS : addMonths(next, -12);
    sub.createdDateTime = formatIsoInstant(created);
    sub.nextLifecycleDateTime = formatIsoInstant(next);
  });
  return out;
}
