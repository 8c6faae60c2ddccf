// Bank server for HW2 (Node.js, dgram).
// b = balance, d<amount> = deposit, w<amount> = withdraw.
const dgram = require("dgram");
const fs = require("fs");

const FILE = "user.txt";
let balance = 0n;
let username = "charles";
let pin = "02323";

if (fs.existsSync(FILE)) {
  const lines = fs.readFileSync(FILE, "utf8").split("\n");
  balance = BigInt(lines[0]);
  username = lines[1];
  pin = lines[2];
}

function save() {
  fs.writeFileSync(FILE, balance + "\n" + username + "\n" + pin + "\n");
}
save();

function reply(message) {
  const command = message.charAt(0);
  const amount = message.substring(1);
  if (command === "b") {
    return balance + " dollar(s) are in your balance.";
  }
  if (command === "d" && /^[0-9]+$/.test(amount)) {
    balance += BigInt(amount);
    save();
    return "Deposited " + amount + " dollar(s). Balance is now " + balance + " dollar(s).";
  }
  if (command === "w" && /^[0-9]+$/.test(amount)) {
    balance -= BigInt(amount);
    save();
    return "Withdrew " + amount + " dollar(s). Balance is now " + balance + " dollar(s).";
  }
  return "Improper format, please send command again.";
}

const server = dgram.createSocket("udp4");
server.on("message", (msg, from) => {
  const answer = reply(msg.toString());
  console.log(from.address + ":" + from.port, JSON.stringify(msg.toString()), "->", JSON.stringify(answer));
  server.send(answer, from.port, from.address);
});
server.on("listening", () => console.log("SERVER READY @", server.address()));
server.bind(Number(process.env.PORT || 65434), process.env.HOST || "127.0.0.1");
