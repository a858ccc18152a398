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

// As bench/bench.c's bench_sample: a warm-up of 20 calls or 0.5 s, batches
// of 100 under 10 us, at most about 2.5 s of samples (never fewer than 5).
let t = ns();
let warm = 0;
while (warm < 20 && (warm < 2 || ns() - t < 500000000n)) {
  os.networkInterfaces();
  warm++;
}
const each = (ns() - t) / BigInt(warm);
const batch = each < 10000n ? 100 : 1;
if (batch === 1 && n >= 1000 && runs > 51) runs = 51;
runs = Math.max(5, Math.min(runs, Number(2500000000n / (each * BigInt(batch) + 1n))));
const s = [];
for (let i = 0; i < runs; i++) {
  t = ns();
  for (let k = 0; k < batch; k++) os.networkInterfaces();
  s.push(Number((ns() - t) / BigInt(batch)));
}
s.sort((a, b) => a - b);
// Node counts interfaces with addresses only; the bench's size is the link count.
const links = Number(process.env.IFPLEX_BENCH_IFACES || n);
console.log(`enum,${links},node,node,addrs,${s[Math.floor(s.length / 2)]},${s[0]},${runs}`);
