// SPDX-License-Identifier: MIT
// Node's os.networkInterfaces(), timed in-process per call, printing the
// same CSV lines as bench/enum_bench.c.
'use strict';
const os = require('os');

let runs = 401;
if (process.argv.includes('--quick')) runs = 101;
if (process.argv.includes('--smoke')) runs = 11;
const n = Object.keys(os.networkInterfaces()).length;
const ns = () => process.hrtime.bigint();

let t = ns();
for (let i = 0; i < 20; i++) os.networkInterfaces();
const batch = (ns() - t) / 20n < 10000n ? 100 : 1;
if (batch === 1 && n >= 1000 && runs > 51) runs = 51;
const s = [];
for (let i = 0; i < runs; i++) {
  t = ns();
  for (let k = 0; k < batch; k++) os.networkInterfaces();
  s.push(Number((ns() - t) / BigInt(batch)));
}
s.sort((a, b) => a - b);
// Node counts interfaces with addresses only; the bench's size is the link count.
const links = Number(process.env.IFPLEX_BENCH_IFACES || n);
console.log(`enum,${links},node,node,addrs,${s[Math.floor(s.length / 2)]},${s[0]}`);
