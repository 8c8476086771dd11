import { describe, expect, it } from "vitest";
import { TASKS, TASK_ENDPOINTS, TASK_IDENTITY } from "../core/permissions.ts";
import { COLLECTED_ENDPOINTS } from "./collect.ts";

describe("collect", () => {
  it("collects every endpoint of every reader task", () => {
    for (const task of TASKS) {
      if (TASK_IDENTITY[task] !== "reader") continue;
      for (const e of TASK_ENDPOINTS[task]) expect(COLLECTED_ENDPOINTS, `${task}: ${e}`).toContain(e);
    }
  });
});
