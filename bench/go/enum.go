// SPDX-License-Identifier: MIT
// Go's net package, timed in its own process per call (no start-up counted),
// printing the same CSV lines as bench/enum_bench.c.
package main

import (
	"fmt"
	"net"
	"os"
	"sort"
	"time"
)

// As bench/bench.c's bench_sample: a warm-up of 20 calls or 0.5 s, batches
// of 100 under 10 us, at most about 2.5 s of samples (never fewer than 5).
func measure(n int, op string, runs int, f func()) {
	start := time.Now()
	warm := 0
	for warm < 20 && (warm < 2 || time.Since(start) < 500*time.Millisecond) {
		f()
		warm++
	}
	each := time.Since(start) / time.Duration(warm)
	batch := 1
	if each < 10*time.Microsecond {
		batch = 100
	}
	if batch == 1 && n >= 1000 && runs > 51 {
		runs = 51
	}
	if max := int(2500 * time.Millisecond / (each*time.Duration(batch) + 1)); runs > max {
		runs = max
	}
	if runs < 5 {
		runs = 5
	}
	s := make([]int64, runs)
	for i := range s {
		t := time.Now()
		for k := 0; k < batch; k++ {
			f()
		}
		s[i] = int64(time.Since(t)) / int64(batch)
	}
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	fmt.Printf("enum,%d,go,go,%s,%d,%d,%d\n", n, op, s[len(s)/2], s[0], runs)
}

func main() {
	runs := 401
	for _, a := range os.Args[1:] {
		switch a {
		case "--quick":
			runs = 101
		case "--smoke":
			runs = 11
		}
	}
	ifs, err := net.Interfaces()
	if err != nil || len(ifs) == 0 {
		fmt.Fprintln(os.Stderr, "go-enum:", err)
		os.Exit(1)
	}
	probe := ifs[len(ifs)-1]
	n := len(ifs)
	measure(n, "interfaces", runs, func() { net.Interfaces() })
	measure(n, "addrs", runs, func() { net.InterfaceAddrs() })
	measure(n, "one-iface-addrs", runs, func() { probe.Addrs() })
	measure(n, "by-name", runs, func() { net.InterfaceByName(probe.Name) })
	measure(n, "by-index", runs, func() { net.InterfaceByIndex(probe.Index) })
}
