// A CPU probe living on one core (started through `taskset -c N`). On each "probe" message it runs a
// fixed amount of integer work `rounds` times and reports the fastest round in milliseconds.
// Staying alive between probes keeps the loop JIT-compiled, so only the core's speed changes the time.

function work(iterations) {
  let x = 0x9e3779b9 | 0;
  let acc = 0;
  for (let i = 0; i < iterations; i++) {
    // xorshift32: cheap, branch-free, cannot be folded away
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    acc = (acc + (x & 0xff)) | 0;
  }
  return acc;
}

let sink = 0;
process.on("message", ({ id, iterations, rounds }) => {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    sink ^= work(iterations);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms < best) best = ms;
  }
  process.send({ id, ms: best, sink });
});
