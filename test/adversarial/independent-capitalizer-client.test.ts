// Clients written from the docs alone (test/adversarial/independent/<protocol>_client.py): the kit, playing the
// server, must find nothing wrong with a correct client it has never seen, on any seed.
import t from "tap";
import { checkIndependentClient, seeds } from "./independent.js";

t.test(`an independent capitalizer client, written from the docs alone, passes every client rule on ${seeds.length} seeds`, (t) =>
  checkIndependentClient(t, "capitalizer"),
);
