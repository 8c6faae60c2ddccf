import { open, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import t from "tap";
import { FileWatch } from "../../../protocols/bank/checks/file-watch.js";

const whole = /^-?[0-9]+\ncharles\n02323\n$/;
const watchIn = (folder: string) => new FileWatch(path.join(folder, "user.txt"), (content) => content !== undefined && !whole.test(content));

t.test("a file rewritten in place is seen empty, though no kill landed there", async (t) => {
  const folder = t.testdir({ "user.txt": "0\ncharles\n02323\n" });
  const watched = watchIn(folder);
  watched.during = "during a deposit";
  const looked = watched.nextLook();
  const handle = await open(path.join(folder, "user.txt"), "w"); // truncates: empty until the write
  await looked;
  await handle.writeFile("50\ncharles\n02323\n");
  await handle.close();
  await watched.close();
  t.same(watched.bad, { content: "", during: "during a deposit" });
});

t.test("a file replaced whole (a temporary file renamed over it) is never seen in another format", async (t) => {
  const folder = t.testdir({ "user.txt": "0\ncharles\n02323\n" });
  const watched = watchIn(folder);
  const looked = watched.nextLook(); // at least one look, or the test would prove nothing
  for (let balance = 1; balance <= 20; balance++) {
    await writeFile(path.join(folder, ".user.txt.tmp"), `${balance}\ncharles\n02323\n`);
    await rename(path.join(folder, ".user.txt.tmp"), path.join(folder, "user.txt"));
  }
  await looked;
  await watched.close();
  t.equal(watched.bad, undefined);
});
