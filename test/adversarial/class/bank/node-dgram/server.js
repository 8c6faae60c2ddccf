// HW2 bank server in Node.js (dgram). Balances are BigInt so huge amounts stay exact.
const dgram = require("dgram");
const fs = require("fs");

const FILE = "user.txt";
const CHALLENGE = "\n\tPlease give the username and pin number.\n";
const IMPROPER = "Improper format, please send command again.";

let account = { balance: 0n, username: "charles", pin: "02323" };
if (fs.existsSync(FILE)) {
  const [balance, username, pin] = fs.readFileSync(FILE, "utf8").split("\n");
  account = { balance: BigInt(balance), username, pin };
} else {
  save();
}

function save() {
  fs.writeFileSync(FILE, `${account.balance}\n${account.username}\n${account.pin}\n`);
}

// "address:port" -> { op, amount } for clients that owe us their credentials
const pending = new Map();

function checkCredentials(text) {
  const words = text.split(/[ \t\n\v\f\r]+/).filter((w) => w.length > 0);
  if (words.length < 2) return false;
  const strip = (w) => Array.from(w).slice(1).join("");
  return strip(words[0]) === account.username && strip(words[1]) === account.pin;
}

function handle(text, key) {
  const waiting = pending.get(key);
  if (waiting) {
    pending.delete(key);
    const ok = text !== null && checkCredentials(text);
    if (waiting.op === "d") {
      if (!ok) return "Invalid credentails. Please try the deposit command again.";
      account.balance += BigInt(waiting.amount);
      save();
      return `Deposited ${waiting.amount} dollar(s). Balance is now ${account.balance} dollar(s).`;
    }
    if (!ok) return "Invalid credentials. Please try the withdraw command again.";
    account.balance -= BigInt(waiting.amount);
    save();
    return `Withdrew ${waiting.amount} dollar(s). Balance is now ${account.balance} dollar(s).`;
  }
  if (text === null || text.length === 0) return IMPROPER;
  if (text[0] === "b") return `${account.balance} dollar(s) are in your balance.`;
  if ((text[0] === "d" || text[0] === "w") && /^[0-9]+$/.test(text.slice(1))) {
    pending.set(key, { op: text[0], amount: text.slice(1) });
    return CHALLENGE;
  }
  return IMPROPER;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const server = dgram.createSocket("udp4");
server.on("message", (msg, rinfo) => {
  let text;
  try {
    text = decoder.decode(msg);
  } catch {
    text = null;
  }
  const reply = handle(text, `${rinfo.address}:${rinfo.port}`);
  server.send(reply, rinfo.port, rinfo.address);
});
server.bind(Number(process.env.PORT || 65434), process.env.HOST || "127.0.0.1", () => {
  console.log("SERVER READY @", server.address());
});
