/**
 * The Pulumi dynamic provider for `SelfSignedCertificate`. Pulumi serializes this object into the
 * stack state and runs its methods in a separate provider-host process, so the methods capture
 * nothing but a file path: they `require` the pure logic module at run time (Node >= 22.18 loads
 * `.ts` files by type stripping, and `require` of an ES module is supported). Capturing imported
 * modules instead breaks serialization (pulumi/pulumi#8090, #18997).
 */
import type * as pulumi from "@pulumi/pulumi";
import { fileURLToPath } from "node:url";
import type * as CertificateLogic from "./certificate-logic.ts";
import type { CertificateInputs, CertificateOutputs } from "./certificate-logic.ts";

/** Absolute path of the logic module; a plain string, so the closure serializer captures only it. */
const LOGIC_PATH = fileURLToPath(new URL("./certificate-logic.ts", import.meta.url));

/**
 * Loads the logic module in whatever process runs the provider. `require` (not `import()`) because
 * the provider host compiles the serialized provider as CommonJS, and test runners rewrite `import()`
 * into helpers the closure serializer would then try to capture.
 */
function loadLogic(): typeof CertificateLogic {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  return require(LOGIC_PATH) as typeof CertificateLogic;
}

/** Dynamic provider: create/check/diff/update delegate to `certificate-logic.ts`; delete is local-only. */
export const certificateProvider: pulumi.dynamic.ResourceProvider<CertificateInputs, CertificateOutputs> = {
  async check(_olds: CertificateInputs, news: CertificateInputs) {
    const logic = loadLogic();
    const failures = logic.checkCertificateInputs(news);
    return failures.length > 0 ? { failures } : { inputs: news };
  },
  async create(inputs: CertificateInputs) {
    const logic = loadLogic();
    const outs = await logic.createCertificate(inputs, new Date());
    return { id: outs.thumbprintSha256Hex, outs };
  },
  async diff(_id: string, olds: CertificateOutputs, news: CertificateInputs) {
    const logic = loadLogic();
    return logic.diffCertificate(olds, news, new Date());
  },
  async update(_id: string, olds: CertificateOutputs, news: CertificateInputs) {
    const logic = loadLogic();
    return { outs: logic.updateCertificate(olds, news) };
  },
  // Nothing exists outside the state: deleting the resource forgets the key. The Entra credential
  // that uses it is a separate resource, removed by its own provider.
  async delete() {},
};
