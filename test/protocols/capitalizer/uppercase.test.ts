import net from "node:net";
import path from "node:path";
import t from "tap";
import { check, inProcessTarget, spawnTarget, tcpServer } from "../../../index.js";
import { capitalizer } from "../../../protocols/capitalizer/spec/index.js";
import { acceptedUpperCases, upperCase, uppercaseTable } from "../../../protocols/capitalizer/spec/uppercase.js";
import { generateUppercaseTable } from "../../../protocols/capitalizer/spec/uppercase-table.js";
import { decodeUtf8 } from "../../../transport/transcript.js";
import { originalsDir, originalsSkipReason, python } from "../../support/helpers.js";

type CaseMap = Map<number, number | number[]>;

/** Full upper-casing straight from a Unicode version's data package, not from the spec's table. */
async function upperCaserOf(version: string, special = true): Promise<(text: string) => string> {
  const load = async (file: string) => ((await import(`@unicode/unicode-${version}/${file}`)) as { default: CaseMap }).default;
  const simple = await load("Simple_Case_Mapping/Uppercase/code-points.mjs");
  const specialCasing = special ? await load("Special_Casing/Uppercase/code-points.mjs") : new Map();
  const one = (cp: number) => {
    const to = specialCasing.get(cp) ?? simple.get(cp) ?? cp;
    return String.fromCodePoint(...(Array.isArray(to) ? to : [to]));
  };
  return (text) => [...text].map((c) => one(c.codePointAt(0)!)).join("");
}

/** A capitalizer that answers each write with `upper` of it and the suffix, and nothing else. */
function capitalizerBy(upper: (text: string) => string) {
  return tcpServer(() =>
    net.createServer((socket) => {
      socket.on("error", () => {});
      socket.on("data", (bytes: Buffer) => {
        const text = decodeUtf8(bytes);
        if (text === undefined || text === capitalizer.wireTexts.shutdownRequest) return void socket.end();
        socket.write(upper(text) + capitalizer.wireTexts.replySuffix);
      });
    }),
  );
}

const replyUpper = (target: Parameters<typeof check>[0]["target"], seed: number, runs = 300) =>
  check({ protocol: "capitalizer", target, only: ["CAP-REPLY-UPPER"], seed, runs, shrinkTimeMs: 2000 });

t.test("the committed table is what the Unicode data packages give", async (t) => {
  t.same(uppercaseTable(), await generateUppercaseTable());
  t.same(uppercaseTable().versions, capitalizer.caseMapping!.unicodeVersions, "the spec's versions");
});

const nodeUnicode = `${process.versions.unicode}.0`.split(".").slice(0, 3).join(".");
const notAccepted = uppercaseTable().versions.includes(nodeUnicode) ? undefined : `Node.js here follows Unicode ${nodeUnicode}, not an accepted version`;

t.test("the table agrees with this Node.js's own upper-casing, where Node's Unicode version is an accepted one", { skip: notAccepted }, (t) => {
  const version = nodeUnicode;
  const differ: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const char = String.fromCodePoint(cp);
    if (char.toUpperCase() !== upperCase(char, version)) differ.push(cp.toString(16));
  }
  t.same(differ, [], `every code point, Unicode ${version}`);
  t.end();
});

t.test("full case mapping, and each version's answer where versions differ", (t) => {
  t.equal(upperCase("straße ﬁ"), "STRASSE FI");
  t.same(acceptedUpperCases("ƛ "), ["ƛ ", "\ua7dc "], "U+019B gained an upper case in Unicode 16");
  t.same(acceptedUpperCases("abc"), ["ABC"]);
  t.end();
});

for (const version of ["11.0.0", "14.0.0", "17.0.0"]) {
  t.test(`a server that upper-cases by Unicode ${version} (from its data package) passes CAP-REPLY-UPPER on every seed tried`, async (t) => {
    const target = inProcessTarget(`Unicode ${version}`, capitalizerBy(await upperCaserOf(version)));
    for (const seed of [1, 2, 3]) {
      const [rule] = (await replyUpper(target, seed)).rules;
      t.equal(rule!.outcome, "pass", `seed ${seed}: ${rule!.detail.actual ?? rule!.detail.message}`);
    }
  });
}

t.test("a server that leaves out SpecialCasing (ß stays ß) fails CAP-REPLY-UPPER", async (t) => {
  const target = inProcessTarget("simple mapping only", capitalizerBy(await upperCaserOf("17.0.0", false)));
  const [rule] = (await replyUpper(target, 1)).rules;
  t.equal(rule!.outcome, "fail");
});

t.test("the original, on Python's Unicode tables (3.11: Unicode 14), passes CAP-REPLY-UPPER", { skip: originalsSkipReason() }, async (t) => {
  const target = spawnTarget(`${python()} ${path.join(originalsDir, "tcpserver.py")}`, { host: "127.0.0.1" });
  const [rule] = (await replyUpper(target, 7, 200)).rules;
  t.equal(rule!.outcome, "pass", `${rule!.detail.actual ?? rule!.detail.message}`);
});
