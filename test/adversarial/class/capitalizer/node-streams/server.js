'use strict';
// Capitalizer server - every client is handled as an async iterator over its socket.
const net = require('node:net');

const state = { used: 0, limit: 10 };

async function serveClient(sock) {
  try {
    // destroyOnReturn false: leaving the loop must not drop the limit message unsent
    for await (const buf of sock.iterator({ destroyOnReturn: false })) {
      const text = buf.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(buf)) break; // invalid utf-8 came in
      if (text === 'CLIENT REQUESTS SHUTDOWN') break;
      if (state.used === state.limit) {
        sock.write('STRINGS LIMIT REACHED, CLOSING CONNECTION');
        break;
      }
      state.used += 1;
      sock.write(`${text.toUpperCase()}\nAwaiting next string...`);
    }
  } catch (e) {
    // client reset us; nothing to do
  }
  sock.end();
}

const server = net.createServer((sock) => {
  sock.on('error', () => {});
  serveClient(sock);
});
server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1', () => {
  console.log('READY on port ' + server.address().port);
});
