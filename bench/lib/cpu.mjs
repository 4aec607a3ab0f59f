// CPU accounting during a measured run, from /proc (Linux). Sampled every 200 ms while wrk runs, so the
// window ends with wrk's last sample and we can tell how much of each pinned core went to someone else:
//   foreign on the server core = core busy − server process CPU
//   foreign on the load core   = core busy − wrk CPU
// Other processes landing on our cores (or the host taking CPU time away) show up there, which probes taken
// only before and after a run cannot see.
import { readFileSync } from "node:fs";

function procTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]); // utime + stime, all threads (fields 14 and 15 of stat)
  } catch {
    return null;
  }
}

function snapshot(serverPid, loadPid) {
  const snap = { at: process.hrtime.bigint(), cores: {}, server: procTicks(serverPid), load: procTicks(loadPid), stallUs: null };
  try {
    for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
      const m = /^cpu(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      const f = m[2].split(/\s+/).map(Number); // user nice system idle iowait irq softirq steal
      const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
      snap.cores[m[1]] = { busy: total - f[3] - f[4], total, steal: f[7] };
    }
  } catch {
    // not Linux: no accounting
  }
  try {
    const psi = /^some .*total=(\d+)/m.exec(readFileSync("/proc/pressure/cpu", "utf8"));
    if (psi) snap.stallUs = Number(psi[1]);
  } catch {
    // kernel without pressure stall information
  }
  return snap;
}

const share = (ticks, total) => (ticks === null || !(total > 0) ? null : (100 * ticks) / total);

function usage(a, b, serverCore, loadCore) {
  const core = (c) => {
    const total = a.cores[c] && b.cores[c] ? b.cores[c].total - a.cores[c].total : 0;
    return {
      total,
      busy: share(total ? b.cores[c].busy - a.cores[c].busy : null, total),
      steal: share(total ? b.cores[c].steal - a.cores[c].steal : null, total),
    };
  };
  const sc = core(serverCore);
  const lc = core(loadCore);
  const server = share(a.server !== null && b.server !== null ? b.server - a.server : null, sc.total);
  const load = share(a.load !== null && b.load !== null ? b.load - a.load : null, lc.total);
  const wallUs = Number(b.at - a.at) / 1e3;
  return {
    windowMs: wallUs / 1e3,
    server, // % of the server core used by the server process
    load, // % of the load core used by wrk
    foreign: {
      [serverCore]: sc.busy === null || server === null ? null : Math.max(0, sc.busy - server),
      [loadCore]: lc.busy === null || load === null ? null : Math.max(0, lc.busy - load),
    },
    busy: { [serverCore]: sc.busy, [loadCore]: lc.busy },
    steal: { [serverCore]: sc.steal, [loadCore]: lc.steal },
    // % of wall time in which some runnable task waited for a CPU (system-wide)
    stall: a.stallUs !== null && b.stallUs !== null && wallUs > 0 ? (100 * (b.stallUs - a.stallUs)) / wallUs : null,
  };
}

/** Start sampling; stop() returns the usage between the first sample and the last one taken while wrk lived. */
export function startCpuSampler({ serverPid, loadPid, serverCore, loadCore, everyMs = 200 }) {
  const first = snapshot(serverPid, loadPid);
  let last = first;
  const timer = setInterval(() => {
    const s = snapshot(serverPid, loadPid);
    if (s.load !== null && s.server !== null) last = s;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return last === first ? null : usage(first, last, serverCore, loadCore);
    },
  };
}
