import t from "tap";
import { checkIndependent, seeds } from "./independent.js";

t.test(`an independent capitalizer, written from the docs alone, passes every rule on ${seeds.length} seeds`, (t) =>
  checkIndependent(t, "capitalizer", { idleTimeoutMs: 5000, maxConnections: 64, maxConnectionsPerAddress: 16 }),
);

t.test(`an independent bank, written from the docs alone, passes every rule on ${seeds.length} seeds`, (t) =>
  checkIndependent(t, "bank", { challengeTimeoutMs: 2000, throttleWindowMs: 2000 }),
);

t.test(`an independent status, written from the docs alone, passes every rule on ${seeds.length} seeds`, (t) => checkIndependent(t, "status", {}));
