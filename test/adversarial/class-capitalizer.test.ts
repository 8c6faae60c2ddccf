import t from "tap";
import { gradeClassAndExpect, gradeClassInFullAndExpect } from "./class-grading.js";

// A class of capitalizer servers as students write them (test/adversarial/class/capitalizer/), graded with the homework
// rubric as a teacher would: the gradebook must give each its due, each usual mistake charged where the
// kit finds it. A rule not named for a submission must pass.

t.test("a class of capitalizers graded with the homework rubric: each submission's score and every rule's outcome", async (t) => {
  await gradeClassAndExpect(
    t,
    "capitalizer",
    {
      // Right, in five styles: a thread per client with a locked counter, socketserver, asyncio, and two in
      // Node.js (an event handler with a fatal TextDecoder; an async iterator over the socket).
      "threads-classic": { score: 100 },
      "socketserver-threading": { score: 100 },
      "asyncio-streams": { score: 100 },
      "node-net": { score: 100 },
      "node-streams": { score: 100 },
      // bytes.upper() changes ASCII letters only: `ß` stays `ß`. Everything else is right.
      "ascii-upper-bytes": { score: 85, unmet: { "CAP-REPLY-UPPER": "fail" } },
      // A selectors loop whose decode() raises on invalid UTF-8 and ends the whole server; the homework
      // rubric sends no invalid UTF-8 (the CAP-UTF8-* rules are the full rubric's), so it scores full marks.
      "crash-on-invalid-utf8": { score: 100 },
      // Takes `CLIENT REQUESTS SHUTDOWN\r\n`, and other case or spacing, for the shutdown request:
      // CAP-SHUTDOWN-EXACT wants those served as sentences.
      "lenient-shutdown": { score: 93.34, unmet: { "CAP-SHUTDOWN-EXACT": "fail" } },
      // The shutdown request is answered as a sentence and counted, and the connection stays open.
      "no-shutdown-handling": { score: 86.66, unmet: { "CAP-SHUTDOWN-CLOSE": "fail", "CAP-SHUTDOWN-NO-COUNT": "fail" } },
      // Replies without `\nAwaiting next string...`. The recorded sessions replayed for CAP-REPLY-UPPER,
      // CAP-QUOTA-LIMIT, CAP-QUOTA-SHARED, CAP-SHUTDOWN-CLOSE and CAP-CONCURRENT-CLIENTS compare whole
      // replies, and CAP-SHUTDOWN-EXACT's property expects a suffixed reply to its near-misses: the one
      // defect fails all seven. The properties of the other three rules only count answers, and pass.
      "no-suffix": {
        score: 26.67,
        unmet: {
          "CAP-REPLY-UPPER": "fail",
          "CAP-REPLY-SUFFIX": "fail",
          "CAP-QUOTA-LIMIT": "fail",
          "CAP-QUOTA-SHARED": "fail",
          "CAP-SHUTDOWN-CLOSE": "fail",
          "CAP-SHUTDOWN-EXACT": "fail",
          "CAP-CONCURRENT-CLIENTS": "fail",
        },
      },
      // Ten sentences per connection: two clients get twenty between them, so the shared quota fails, and
      // so does the recorded two-client session CAP-QUOTA-LIMIT replays.
      "quota-per-connection": { score: 80, unmet: { "CAP-QUOTA-LIMIT": "fail", "CAP-QUOTA-SHARED": "fail" } },
      // One client at a time: the second of two open connections is not answered while the first is open (a
      // timeout). The checks that need two clients served at once say they cannot judge (skip: no points).
      "single-threaded": {
        score: 63.33,
        unmet: { "CAP-CONCURRENT-CLIENTS": "timeout", "CAP-QUOTA-LIMIT": "skip", "CAP-QUOTA-SHARED": "skip", "CAP-SHUTDOWN-NO-COUNT": "skip" },
      },
    },
    /^12 submission\(s\): median 96\.67 of 100, lowest 26\.67, highest 100$/m,
  );
});

t.test("the full rubric grades what the homework one leaves out: invalid UTF-8", async (t) => {
  await gradeClassInFullAndExpect(t, "capitalizer", ["CAP-UTF8-INVALID-ISOLATION"], {
    // Its invalid write ends the whole server, and the other client with it.
    "crash-on-invalid-utf8": { "CAP-UTF8-INVALID-ISOLATION": "fail" },
  });
});
