// udpserver.js - the HW2 bank in Node.js.
// The balance survives restarts: it is read back from user.txt at start.
const dgram = require("dgram");
const fs = require("fs");

const USERNAME = "charles";
const PIN = "02323";

let balance = 0n;
try {
  balance = BigInt(fs.readFileSync("user.txt", "utf8").split("\n")[0]);
} catch (e) {
  // no file yet: new account
}
writeFile();

function writeFile() {
  fs.writeFileSync("user.txt", `${balance}\n${USERNAME}\n${PIN}\n`);
}

const waitingFor = {}; // "ip:port" -> pending request

function credentialsOk(text) {
  const words = text.trim().split(/\s+/);
  return words.length >= 2 && words[0].slice(1) === USERNAME && words[1].slice(1) === PIN;
}

function onMessage(text, who) {
  const pending = waitingFor[who];
  if (pending) {
    delete waitingFor[who];
    const ok = credentialsOk(text);
    if (pending.op === "d") {
      if (!ok) return "Invalid credentails. Please try the deposit command again.";
      balance += BigInt(pending.amount);
      writeFile();
      return `Deposited ${pending.amount} dollar(s). Balance is now ${balance} dollar(s).`;
    }
    if (!ok) return "Invalid credentials. Please try the withdraw command again.";
    balance -= BigInt(pending.amount);
    writeFile();
    return `Withdrew ${pending.amount} dollar(s). Balance is now ${balance} dollar(s).`;
  }
  if (text.startsWith("b")) return `${balance} dollar(s) are in your balance.`;
  const op = text[0];
  const amount = text.slice(1);
  if ((op === "d" || op === "w") && /^[0-9]+$/.test(amount)) {
    waitingFor[who] = { op, amount };
    return "\n\tPlease give the username and pin number.\n";
  }
  return "Improper format, please send command again.";
}

const sock = dgram.createSocket("udp4");
sock.on("message", (msg, rinfo) => {
  const answer = onMessage(msg.toString("utf8"), rinfo.address + ":" + rinfo.port);
  sock.send(answer, rinfo.port, rinfo.address);
});
sock.bind(Number(process.env.PORT), process.env.HOST || "127.0.0.1", () => {
  console.log("SERVER READY on port", process.env.PORT);
});
