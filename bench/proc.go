package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of /proc/<pid>/stat's CPU times (sysconf
// _SC_CLK_TCK), 100 Hz on Linux.
const clockTick = 10 * time.Millisecond

// cpuTime is the CPU time (user + system) process pid has used so far.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name in parentheses may hold spaces: fields count from
	// the last ")".
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64) // field 14 of the whole line
	stime, err2 := strconv.ParseInt(fields[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %q %q", pid, fields[11], fields[12])
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// peakRSS is the most resident memory process pid has had (VmHWM), in bytes.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmHWM", pid)
}

// cpuMeter measures the CPU a set of processes uses between start and stop.
type cpuMeter struct {
	pids  []int
	start []time.Duration
}

func meterCPU(pids ...int) *cpuMeter {
	m := &cpuMeter{pids: pids}
	for _, p := range pids {
		t, _ := cpuTime(p)
		m.start = append(m.start, t)
	}
	return m
}

// used returns the CPU time each process used since meterCPU.
func (m *cpuMeter) used() []time.Duration {
	out := make([]time.Duration, len(m.pids))
	for i, p := range m.pids {
		t, err := cpuTime(p)
		if err == nil {
			out[i] = t - m.start[i]
		}
	}
	return out
}

// processGroups are processes by the name their CPU is reported under
// ("clickhouse-server": the four of a cluster).
type processGroups map[string][]int

// groupMeter measures the CPU of groups of processes, summed per group.
type groupMeter struct {
	names []string
	meter *cpuMeter
}

func meterGroups(g processGroups) *groupMeter {
	m := &groupMeter{}
	var pids []int
	for name, ps := range g {
		for _, p := range ps {
			m.names = append(m.names, name)
			pids = append(pids, p)
		}
	}
	m.meter = meterCPU(pids...)
	return m
}

// used returns the CPU time each group used since meterGroups.
func (m *groupMeter) used() map[string]time.Duration {
	out := map[string]time.Duration{}
	for i, d := range m.meter.used() {
		out[m.names[i]] += d
	}
	return out
}
