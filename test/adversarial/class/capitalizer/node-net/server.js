// HW2 capitalizer, Node.js version (net module, no packages).
const net = require("net");

const HOST = process.env.HOST || "127.0.0.1";
const PORT = Number(process.env.PORT || 65434);
const MAX_STRINGS = 10;
const SUFFIX = "\nAwaiting next string...";
const LIMIT_MSG = "STRINGS LIMIT REACHED, CLOSING CONNECTION";
const SHUTDOWN = "CLIENT REQUESTS SHUTDOWN";

let numStrings = 0;

const server = net.createServer((socket) => {
  console.log("Connected by:", socket.remoteAddress, socket.remotePort);
  const decoder = new TextDecoder("utf-8", { fatal: true });

  socket.on("data", (chunk) => {
    let sentence;
    try {
      sentence = decoder.decode(chunk);
    } catch (err) {
      socket.destroy(); // not UTF-8: drop the client
      return;
    }
    if (sentence === SHUTDOWN) {
      console.log("CLIENT HAS REQUESTED SHUTDOWN");
      socket.end();
      return;
    }
    if (numStrings >= MAX_STRINGS) {
      socket.end(LIMIT_MSG);
      return;
    }
    numStrings++;
    console.log("Sentence is:", sentence, "| number of strings", numStrings);
    socket.write(sentence.toUpperCase() + SUFFIX);
  });

  socket.on("error", (err) => console.log("socket error:", err.message));
});

server.listen(PORT, HOST, () => console.log(`SERVER READY @ ${HOST}:${PORT}`));
