// Small statistics and the final table.

export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** (max - min) / median, in percent: how far apart the kept repeats were. */
export function spreadPct(xs) {
  if (xs.length < 2) return 0;
  return (100 * (Math.max(...xs) - Math.min(...xs))) / median(xs);
}

/** One row per (endpoint, server) from the slots' kept runs. */
export function summarize(slots, endpoints, servers, planned) {
  const rows = [];
  for (const endpoint of endpoints) {
    for (const server of servers) {
      const mine = slots.filter((s) => s.endpoint === endpoint && s.server === server && s.accepted);
      const kept = mine.map((s) => s.accepted);
      const rps = kept.map((r) => r.wrk.rps);
      // Server CPU per request (µs), from the in-run accounting: other load barely moves it.
      const cpuUs = kept
        .filter((r) => r.cpu && Number.isFinite(r.cpu.server) && r.wrk.requests > 0)
        .map((r) => ((r.cpu.server / 100) * r.cpu.windowMs * 1000) / r.wrk.requests);
      // Each repeat's req/s over Fastify's in the same repeat: the two ran seconds apart, so a slow phase of the
      // host hits both, and the median of these ratios is steadier than the ratio of the medians.
      const paired = mine
        .map((s) => {
          const peer = slots.find((o) => o.endpoint === endpoint && o.server === "fastify" && o.rep === s.rep && o.accepted);
          return peer ? s.accepted.wrk.rps / peer.accepted.wrk.rps : NaN;
        })
        .filter(Number.isFinite);
      rows.push({
        endpoint: `${endpoint.id} ${endpoint.name}`,
        server,
        n: kept.length,
        planned,
        medianRps: median(rps),
        spread: spreadPct(rps),
        p99: median(kept.map((r) => r.wrk.latencyMs.p99)),
        cpuUs: median(cpuUs),
        pairedVsFastify: median(paired),
        rps,
      });
    }
  }
  return rows;
}

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");
const fmtRatio = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : "-");

/**
 * summary: [{ endpoint, server, n, planned, medianRps, spread, p99, cpuUs, pairedVsFastify }] in display order.
 * Ratios are against fastify's and raw's median on the same endpoint; "paired" is the median of per-repeat ratios,
 * "capacity" is Fastify's server CPU per request over this server's.
 */
export function formatTable(summary) {
  const header = ["endpoint", "server", "runs", "median req/s", "spread", "p99 ms", "vs fastify", "vs raw", "paired vs fastify", "cpu µs/req", "capacity vs fastify"];
  const rows = summary.map((s) => {
    const peer = (name) => summary.find((o) => o.endpoint === s.endpoint && o.server === name)?.medianRps;
    const fastifyCpu = summary.find((o) => o.endpoint === s.endpoint && o.server === "fastify")?.cpuUs;
    return [
      s.endpoint,
      s.server,
      `${s.n}/${s.planned}`,
      fmtInt(s.medianRps),
      s.n ? `±${(s.spread / 2).toFixed(1)}%` : "-",
      Number.isFinite(s.p99) ? s.p99.toFixed(2) : "-",
      fmtRatio(s.medianRps / peer("fastify")),
      fmtRatio(s.medianRps / peer("raw")),
      fmtRatio(s.pairedVsFastify),
      Number.isFinite(s.cpuUs) ? s.cpuUs.toFixed(1) : "-",
      fmtRatio(fastifyCpu / s.cpuUs),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  ")];
  let last = null;
  for (const r of rows) {
    if (last !== null && r[0] !== last) out.push("");
    out.push(line(r));
    last = r[0];
  }
  return out.join("\n");
}
