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
      const kept = slots.filter((s) => s.endpoint === endpoint && s.server === server && s.accepted).map((s) => s.accepted);
      const rps = kept.map((r) => r.wrk.rps);
      rows.push({
        endpoint: `${endpoint.id} ${endpoint.name}`,
        server,
        n: kept.length,
        planned,
        medianRps: median(rps),
        spread: spreadPct(rps),
        p99: median(kept.map((r) => r.wrk.latencyMs.p99)),
        rps,
      });
    }
  }
  return rows;
}

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");
const fmtRatio = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : "-");

/**
 * summary: [{ endpoint, server, n, planned, medianRps, spread, p99 }] in display order.
 * Ratios are against fastify's and raw's median on the same endpoint.
 */
export function formatTable(summary) {
  const header = ["endpoint", "server", "runs", "median req/s", "spread", "p99 ms", "vs fastify", "vs raw"];
  const rows = summary.map((s) => {
    const peer = (name) => summary.find((o) => o.endpoint === s.endpoint && o.server === name)?.medianRps;
    return [
      s.endpoint,
      s.server,
      `${s.n}/${s.planned}`,
      fmtInt(s.medianRps),
      s.n ? `±${(s.spread / 2).toFixed(1)}%` : "-",
      Number.isFinite(s.p99) ? s.p99.toFixed(2) : "-",
      fmtRatio(s.medianRps / peer("fastify")),
      fmtRatio(s.medianRps / peer("raw")),
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
