// The capitalizer server written from the docs alone (test/adversarial/independent/capitalizer.py); one file
// per protocol, as each waits out its limits on every seed.
import t from "tap";
import { checkIndependent, seeds } from "./independent.js";

t.test(`an independent capitalizer, written from the docs alone, passes every rule on ${seeds.length} seeds`, (t) =>
  checkIndependent(t, "capitalizer", { idleTimeoutMs: 5000, maxConnections: 64, maxConnectionsPerAddress: 16 }),
);
