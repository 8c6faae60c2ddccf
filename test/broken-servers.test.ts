import t from "tap";
import { check, inProcessTarget, tcpServer } from "../index.js";
import { expectUnmetExactly } from "./helpers.js";
import { brokenCapitalizerLimits, brokenCapitalizers, createBrokenCapitalizer, type Defects } from "../protocols/capitalizer/broken/servers.js";

// Each check mostly waits on its servers: two at a time halve the file's time.
t.jobs = 2;

/**
 * The whole catalogue against a capitalizer with the given defects, with the kit's default seed: the same
 * inputs every time. A reply timeout of half a second leaves room for a loaded machine.
 */
const checkCapitalizer = (name: string, defects: Defects) =>
  check({
    protocol: "capitalizer",
    target: inProcessTarget(
      name,
      tcpServer(() => createBrokenCapitalizer(defects)),
    ),
    runs: 10,
    timeouts: { replyMs: 500, settleMs: 50 },
    shrinkTimeMs: 0,
    limits: brokenCapitalizerLimits,
  });

for (const broken of brokenCapitalizers) {
  t.test(`catches a server with ${broken.name}, and nothing else`, async (t) => {
    expectUnmetExactly(t, await checkCapitalizer(broken.name, broken.defects), broken);
  });
}

t.test("a server with no defects passes (the broken servers differ from it only by their defects)", async (t) => {
  expectUnmetExactly(t, await checkCapitalizer("no defects", {}), { fails: [] });
});
