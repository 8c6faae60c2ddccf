import { open, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import t from "tap";
import { FileWatch } from "../protocols/bank/checks/file-watch.js";

const whole = /^-?[0-9]+\ncharles\n02323\n$/;
const watchIn = (folder: string) => new FileWatch(path.join(folder, "user.txt"), (content) => content !== undefined && !whole.test(content));

t.test("a file rewritten in place is seen empty, though no kill landed there", async (t) => {
  const folder = t.testdir({ "user.txt": "0\ncharles\n02323\n" });
  const watched = watchIn(folder);
  watched.during = "during a deposit";
  const handle = await open(path.join(folder, "user.txt"), "w"); // truncates: empty until the write
  await sleep(50);
  await handle.writeFile("50\ncharles\n02323\n");
  await handle.close();
  await sleep(50);
  await watched.close();
  t.same(watched.bad, { content: "", during: "during a deposit" });
});

t.test("a file replaced whole (a temporary file renamed over it) is never seen in another format", async (t) => {
  const folder = t.testdir({ "user.txt": "0\ncharles\n02323\n" });
  const watched = watchIn(folder);
  for (let balance = 1; balance <= 20; balance++) {
    await writeFile(path.join(folder, ".user.txt.tmp"), `${balance}\ncharles\n02323\n`);
    await rename(path.join(folder, ".user.txt.tmp"), path.join(folder, "user.txt"));
  }
  await sleep(50);
  await watched.close();
  t.equal(watched.bad, undefined);
});
