import t from "tap";
import { gradeClassAndExpect, gradeClassInFullAndExpect } from "./class-grading.js";

// A class of bank servers as students write them (test/adversarial/class/bank/), graded with the homework rubric as a
// teacher would: the gradebook must give each its due, each usual mistake charged where the kit finds it.
// A rule not named for a submission must pass.

t.test("a class of banks graded with the homework rubric: each submission's score and every rule's outcome", async (t) => {
  await gradeClassAndExpect(
    t,
    "bank",
    {
      // Right, in five styles: a class with a blocking loop, socketserver, asyncio's DatagramProtocol, and
      // two in Node.js (dgram with BigInt balances, one with a function per step, one with a class). Each
      // keeps a pending challenge per client address and reads user.txt back at start.
      "classic-class": { score: 100 },
      "socketserver-udp": { score: 100 },
      "asyncio-datagram": { score: 100 },
      "node-dgram": { score: 100 },
      "node-dgram-map": { score: 100 },
      // The original's mistake: every challenge goes to the first client the server ever heard from, and
      // the next datagram from anyone is the credentials. Every homework check runs with a fresh server and
      // one client, which is that first client, so nothing shows it: BANK-CHALLENGE-REQUESTER is the full
      // rubric's.
      "challenge-to-first-client": { score: 100 },
      // int() of an amount such as `5.0` raises after the challenge and ends the server. The homework checks
      // send only amounts of ASCII digits (BANK-AMOUNT-MALFORMED is the full rubric's): full marks.
      "crash-on-malformed-amount": { score: 100 },
      // float(amount), shown with "%.0f": right until a balance passes 2^53, as BANK-EXACT-BALANCE's large
      // amounts and a large balance in user.txt (BANK-LOAD-EXISTING) do.
      "float-balance": { score: 82.5, unmet: { "BANK-EXACT-BALANCE": "fail", "BANK-LOAD-EXISTING": "fail" } },
      // Reads the balance back from user.txt but keeps charles/02323 built in, and writes them over the file.
      "hardcoded-credentials": { score: 92.5, unmet: { "BANK-LOAD-CREDENTIALS": "fail" } },
      // Deposits and withdrawals are applied at once, with no challenge. Every check that expects the
      // challenge before it goes on fails at that first step; a balance request, alone or on a server
      // started on a user.txt (BANK-LOAD-EXISTING), needs none.
      "no-challenge": {
        score: 17.5,
        unmet: {
          "BANK-DEPOSIT": "fail",
          "BANK-WITHDRAW": "fail",
          "BANK-EXACT-BALANCE": "fail",
          "BANK-CHALLENGE": "fail",
          "BANK-WRONG-CREDENTIALS": "fail",
          "BANK-PERSIST-RESTART": "fail",
          "BANK-FILE-FORMAT": "fail",
          "BANK-LOAD-CREDENTIALS": "fail",
        },
      },
      // As the original: user.txt is written with balance 0 and the built-in credentials at every start, so
      // nothing survives a restart and an existing file is ignored; the file's format is right.
      "not-persisted": {
        score: 77.5,
        unmet: { "BANK-PERSIST-RESTART": "fail", "BANK-LOAD-EXISTING": "fail", "BANK-LOAD-CREDENTIALS": "fail" },
      },
      // "Insufficient funds" for a withdrawal past the balance, where the spec takes the balance below zero
      // (the write-up's -23). The recorded withdrawal replayed for BANK-WITHDRAW is one, and so are the
      // withdrawals of BANK-EXACT-BALANCE and BANK-PERSIST-RESTART from a new, empty account.
      "refuses-overdraft": {
        score: 72.5,
        unmet: { "BANK-WITHDRAW": "fail", "BANK-EXACT-BALANCE": "fail", "BANK-PERSIST-RESTART": "fail" },
      },
    },
    /^12 submission\(s\): median 100 of 100, lowest 17\.5, highest 100$/m,
  );
});

t.test("the full rubric grades what the homework one leaves out: the challenge's address, malformed amounts", async (t) => {
  await gradeClassInFullAndExpect(t, "bank", ["BANK-CHALLENGE-REQUESTER", "BANK-AMOUNT-MALFORMED"], {
    // The requester waits for a challenge that went to the first client: a timeout.
    "challenge-to-first-client": { "BANK-CHALLENGE-REQUESTER": "timeout" },
    // It challenges a malformed amount (`d1e3`) instead of answering the improper-format text; int() would then end it.
    "crash-on-malformed-amount": { "BANK-AMOUNT-MALFORMED": "fail" },
    // No challenge at all, to anyone.
    "no-challenge": { "BANK-CHALLENGE-REQUESTER": "fail" },
    // The challenge does go to the requester, but the check's withdrawal from a new account is refused: the
    // overdraft defect again, charged to a rule about the challenge's address.
    "refuses-overdraft": { "BANK-CHALLENGE-REQUESTER": "fail" },
  });
});
