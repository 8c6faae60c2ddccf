// Capitalizer (HW2) in Node.js. Clients stop by closing their connection.
const net = require("net");

let count = 0;

const server = net.createServer((client) => {
  client.setEncoding("utf8");
  client.on("data", (sentence) => {
    if (count >= 10) {
      client.end("STRINGS LIMIT REACHED, CLOSING CONNECTION");
      return;
    }
    count += 1;
    console.log(`#${count}: ${sentence}`);
    client.write(sentence.toUpperCase() + "\nAwaiting next string...");
  });
  client.on("error", () => {});
});

server.listen(process.env.PORT, process.env.HOST, () => {
  console.log("server listening on " + process.env.PORT);
});
