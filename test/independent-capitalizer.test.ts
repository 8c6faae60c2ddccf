import t from "tap";
import { checkIndependent, seeds } from "./independent.js";

t.test(`an independent capitalizer, written from the docs alone, passes every rule on ${seeds.length} seeds`, (t) =>
  checkIndependent(t, "capitalizer", { idleTimeoutMs: 5000, maxConnections: 64, maxConnectionsPerAddress: 16 }),
);
