// Command-line options of run.mjs.
import { parseArgs } from "node:util";
import { selectEndpoints } from "./endpoints.mjs";
import { parseServerList } from "./servers.mjs";

export const HELP = `usage: node bench/run.mjs [options]

  --servers a,b       servers to compare (default raw,fastify,hono,typefast)
  --only e1,e2        endpoints to run (e1 hello, e2 path+query, e3 body+model, e4 deps+model; default all)
  --repeats N         measured runs per (server, endpoint) (default 5)
  --duration S        seconds per measured run (default 5)
  --warmup S          seconds of discarded wrk load before each measured run (default 2, 0 = none)
  --connections N     wrk connections (default 50)
  --threshold X       discard a run if a core's probe is > X times its baseline (default 1.2)
  --max-foreign P     discard a run if others used more than P% of the server's or wrk's core during it (default 10)
  --retries N         re-runs allowed per (server, endpoint, repeat) after discards (default 3)
  --calm-timeout S    after a discard, wait up to S seconds for both cores to probe normal (default 30)
  --give-up N         stop early after N such waits in a row end with the cores still busy (default 4, 0 = never)
`;

/** Parsed and checked options; throws with a readable message on bad input. */
export function options() {
  const { values } = parseArgs({
    options: {
      servers: { type: "string" },
      only: { type: "string" },
      repeats: { type: "string", default: "5" },
      duration: { type: "string", default: "5" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "50" },
      threshold: { type: "string", default: "1.2" },
      "max-foreign": { type: "string", default: "10" },
      retries: { type: "string", default: "3" },
      "calm-timeout": { type: "string", default: "30" },
      "give-up": { type: "string", default: "4" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true };
  const int = (name, min) => {
    const n = Number(String(values[name]).replace(/s$/, ""));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const threshold = Number(values.threshold);
  if (!(threshold > 1)) throw new Error("--threshold must be a number > 1");
  return {
    servers: parseServerList(values.servers),
    endpoints: selectEndpoints(values.only),
    repeats: int("repeats", 1),
    duration: int("duration", 1),
    warmup: int("warmup", 0),
    connections: int("connections", 1),
    retries: int("retries", 0),
    calmTimeout: int("calm-timeout", 0),
    giveUp: int("give-up", 0),
    maxForeign: int("max-foreign", 0),
    threshold,
  };
}
