/**
 * Writes a file so that readers see the old content or the new, never half of it: a temporary file
 * beside the target, written and flushed to disk, its mode set exactly (umask can only remove bits),
 * then renamed over the target. On failure the temporary file is removed.
 */
import { randomBytes } from "node:crypto";
import { chmod, open, rename, rm } from "node:fs/promises";

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(tmp, "wx", mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  }
}
