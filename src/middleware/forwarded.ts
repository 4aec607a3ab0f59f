/**
 * Reading `X-Forwarded-For` / `X-Forwarded-Proto` safely. These headers are written by whoever talks to us, so
 * they are believed only when the peer is a proxy we trust — else any client could pick its own IP and escape a
 * rate limit. With a chain of proxies, the client is the right-most address that is not a trusted proxy.
 */
import { BlockList, isIP } from "node:net";
import { TypefastError } from "../errors/typefast-error.ts";
import type { Request } from "../http/request.ts";

/**
 * Proxies whose forwarding headers are believed: addresses (`"10.0.0.7"`), CIDR ranges (`"10.0.0.0/8"`,
 * `"fd00::/8"`), or `"*"` for "every peer is a proxy" (only behind a proxy that always overwrites the header).
 *
 * @example
 * const trusted: TrustedProxies = ["127.0.0.1", "10.0.0.0/8"];
 */
export type TrustedProxies = readonly string[];

/**
 * A compiled {@link TrustedProxies} list: answers "is this address one of our proxies?".
 *
 * @example
 * const proxies = new ProxyList(["10.0.0.0/8"]);
 * proxies.clientIp(request); // the real client behind the proxy
 */
export class ProxyList {
  readonly #all: boolean;
  readonly #list = new BlockList();
  readonly #empty: boolean;

  constructor(trusted: TrustedProxies = []) {
    this.#all = trusted.includes("*");
    this.#empty = trusted.length === 0;
    for (const entry of trusted) {
      if (entry === "*") continue;
      const [address, bits] = entry.split("/");
      const family = isIP(address ?? "");
      if (family === 0 || (bits !== undefined && !/^\d+$/.test(bits))) {
        throw new TypefastError("TF_TRUSTED_PROXY", `Trusted proxy ${JSON.stringify(entry)} is not an IP address or CIDR range, e.g. "10.0.0.7" or "10.0.0.0/8".`);
      }
      const type = family === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) this.#list.addAddress(address!, type);
      else this.#list.addSubnet(address!, Number(bits), type);
    }
  }

  /** True when `address` is a trusted proxy. */
  trusts(address: string): boolean {
    if (this.#all) return true;
    if (this.#empty) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.#list.check(plain, family === 6 ? "ipv6" : "ipv4");
  }

  /** The client's IP: the socket peer, or — when the peer is trusted — the right-most untrusted `X-Forwarded-For` hop. */
  clientIp(request: Request): string {
    const peer = unmapped(request.client.host);
    if (!this.trusts(peer)) return peer;
    const header = request.header("x-forwarded-for");
    if (header === undefined) return peer;
    const hops = header.split(",").map((h) => unmapped(h.trim())).filter((h) => h !== "");
    for (let i = hops.length - 1; i >= 0; i--) {
      if (!this.trusts(hops[i]!)) return hops[i]!;
    }
    return hops[0] ?? peer; // every hop is a proxy: the first one is as close to the client as we can know
  }

  /** `https` or `http`: from the socket, or from `X-Forwarded-Proto` when the peer is trusted. */
  scheme(request: Request): "http" | "https" {
    if (this.trusts(unmapped(request.client.host))) {
      const proto = request.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
      if (proto === "https" || proto === "wss") return "https";
      if (proto === "http" || proto === "ws") return "http";
    }
    return request.raw.socket?.encrypted ? "https" : "http";
  }
}

// Node reports IPv4 peers of a dual-stack socket as "::ffff:1.2.3.4"; compare them as plain IPv4.
function unmapped(address: string): string {
  return address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
