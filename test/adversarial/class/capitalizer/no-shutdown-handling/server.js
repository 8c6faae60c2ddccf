// tcpserver.js - HW2 capitalizer in Node.js.
// Every client gets its sentences back in capitals; the whole server answers
// 10 sentences, then tells clients the limit is reached. Clients stop by
// closing their connection (Ctrl+C in the client).
const net = require("net");

const HOST = process.env.HOST || "127.0.0.1";
const PORT = Number(process.env.PORT || 65434);
const MAX_STRINGS = 10;

let count = 0;
let clients = 0;

function capitalize(sentence) {
  count += 1;
  console.log(`Sentence is: ${sentence}`);
  console.log(`Number of strings ${count}`);
  return sentence.toUpperCase() + "\nAwaiting next string...";
}

const server = net.createServer((client) => {
  clients += 1;
  console.log(`Connected by: ${client.remoteAddress}:${client.remotePort} (${clients} connected)`);
  client.setEncoding("utf8");

  client.on("data", (sentence) => {
    if (count >= MAX_STRINGS) {
      console.log("STRINGS LIMIT REACHED, CLOSING CONNECTION");
      client.end("STRINGS LIMIT REACHED, CLOSING CONNECTION");
      return;
    }
    client.write(capitalize(sentence));
  });

  client.on("close", () => {
    clients -= 1;
    console.log(`Client left (${clients} connected)`);
  });
  client.on("error", (err) => console.log("client error:", err.message));
});

server.listen(PORT, HOST, () => {
  console.log(`SERVER READY @ ${HOST}:${PORT}`);
});
