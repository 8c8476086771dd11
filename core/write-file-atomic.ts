/**
 * Writes a file so that readers see the old content or the new, never half of it: a temporary file
 * beside the target, created with `mode` (owner-only by default: stores, exports, evaluations and
 * plans hold names, managers and sign-in places), written and flushed to disk, then renamed over the
 * target. The process umask still applies, so a file is never wider than the umask allows. On
 * failure the temporary file is removed.
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";

/** Writes `data` to `path` atomically. `mode` defaults to 0600 (owner read/write), narrowed by the umask. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(tmp, "wx", mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
}
