import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fixturesFolder, type ProtocolModule } from "../protocols/protocol-module.js";
import { shownPath } from "../spec/paths.js";
import { readJson } from "../spec/read-json.js";
import { assertValid } from "../spec/validator.js";
import type { Transcript } from "../transport/transcript.js";

export interface Fixture {
  /** Path relative to the package root for a built-in protocol (e.g. protocols/capitalizer/fixtures/one-client.json), else absolute. */
  file: string;
  transcript: Transcript;
}

/** The recorded transcripts of a protocol, each validated against the transcript schema. */
export function loadFixtures(module: Pick<ProtocolModule, "dir">): Fixture[] {
  const dir = fixturesFolder(module);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const transcript = readJson(file);
      assertValid("transcript.schema.json", transcript, file);
      return { file: shownPath(file), transcript: transcript as Transcript };
    });
}

/** The fixtures whose replay is part of a rule's check. */
export function fixturesFor(fixtures: Fixture[], ruleId: string): Fixture[] {
  return fixtures.filter((f) => f.transcript.rules?.includes(ruleId));
}
