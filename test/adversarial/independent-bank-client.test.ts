// The bank client written from the docs alone (test/adversarial/independent/bank_client.py), in a file of its
// own: its lost-reply rules wait out the client's reply timeout on every run.
import t from "tap";
import { checkIndependentClient, seeds } from "./independent.js";

t.test(`an independent bank client, written from the docs alone, passes every client rule on ${seeds.length} seeds`, (t) => checkIndependentClient(t, "bank"));
