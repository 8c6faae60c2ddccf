'use strict';
/*
 * udpserver.js - bank over UDP for HW2.
 * One account in user.txt (balance, username, pin). The balance is a BigInt.
 */
const dgram = require('node:dgram');
const fs = require('node:fs');

class Bank {
  constructor(file) {
    this.file = file;
    this.challenges = new Map();
    try {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      this.balance = BigInt(lines[0]);
      this.user = lines[1];
      this.pin = lines[2];
    } catch (err) {
      if (err.code !== 'ENOENT') throw err;
      this.balance = 0n;
      this.user = 'charles';
      this.pin = '02323';
      this.store();
    }
  }

  store() {
    fs.writeFileSync(this.file, [this.balance, this.user, this.pin, ''].join('\n'));
  }

  authorised(answer) {
    const [first = '', second = ''] = answer.split(/[\t\n\v\f\r ]/).filter(Boolean);
    return [...first].slice(1).join('') === this.user && [...second].slice(1).join('') === this.pin;
  }

  request(from, text) {
    if (this.challenges.has(from)) {
      const { op, amount } = this.challenges.get(from);
      this.challenges.delete(from);
      const deposit = op === 'd';
      if (!this.authorised(text)) {
        return deposit
          ? 'Invalid credentails. Please try the deposit command again.'
          : 'Invalid credentials. Please try the withdraw command again.';
      }
      this.balance += deposit ? BigInt(amount) : -BigInt(amount);
      this.store();
      return `${deposit ? 'Deposited' : 'Withdrew'} ${amount} dollar(s). Balance is now ${this.balance} dollar(s).`;
    }
    const letter = text.charAt(0);
    const amount = text.slice(1);
    if (letter === 'b') return `${this.balance} dollar(s) are in your balance.`;
    if ((letter === 'd' || letter === 'w') && /^\d+$/.test(amount)) {
      this.challenges.set(from, { op: letter, amount });
      return '\n\tPlease give the username and pin number.\n';
    }
    return 'Improper format, please send command again.';
  }
}

const bank = new Bank('user.txt');
const socket = dgram.createSocket('udp4');
socket.on('message', (buf, peer) => {
  const text = buf.toString('utf8');
  // bytes that are not UTF-8 never match anything: treat them as an empty message
  const clean = Buffer.from(text, 'utf8').equals(buf) ? text : '';
  socket.send(bank.request(`${peer.address} ${peer.port}`, clean), peer.port, peer.address);
});
socket.bind(Number(process.env.PORT), process.env.HOST, () => console.log('bank READY'));
