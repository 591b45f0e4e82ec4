// Where the proxy may connect. Providers serve their lease API over HTTPS (a certificate they
// publish on chain), on public addresses; a proxy that followed any URL to any address would let
// anyone on the allowed origins probe the network it runs in. So by default: https/wss only, and
// no loopback, private or link-local address, whether the URL names it or DNS answers it (Console's
// createForbidPrivateNetworkLookup). `allowInsecure` lifts both, for a proxy in front of local
// stand-ins only.
import dns from "node:dns";
import { BlockList, isIP } from "node:net";

const PRIVATE_NETWORKS = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const)
  PRIVATE_NETWORKS.addSubnet(net, prefix, "ipv4");
PRIVATE_NETWORKS.addAddress("255.255.255.255", "ipv4");
PRIVATE_NETWORKS.addAddress("::", "ipv6");
PRIVATE_NETWORKS.addAddress("::1", "ipv6");
PRIVATE_NETWORKS.addSubnet("fc00::", 7, "ipv6");
PRIVATE_NETWORKS.addSubnet("fe80::", 10, "ipv6");

export interface NetworkPolicy {
  /** Plain http/ws and private addresses allowed: for local stand-ins only. */
  allowInsecure: boolean;
}

const isPrivate = (address: string) => {
  const family = isIP(address);
  return family !== 0 && PRIVATE_NETWORKS.check(address, family === 4 ? "ipv4" : "ipv6");
};

/** Why the proxy will not connect to `url`, or undefined. */
export function providerUrlProblem(url: URL, policy: NetworkPolicy): string | undefined {
  if (policy.allowInsecure) return undefined;
  if (url.protocol !== "https:" && url.protocol !== "wss:")
    return `url: providers are reached over https only, not ${url.protocol.slice(0, -1)}`;
  if (isPrivate(url.hostname.replace(/^\[|\]$/g, ""))) return `url: ${url.hostname} is a private or loopback address`;
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A dns.lookup that fails for names resolving to a private address (unless the policy allows them). */
export function providerLookup(policy: NetworkPolicy) {
  if (policy.allowInsecure) return undefined;
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      const blocked = addresses.find((a) => isPrivate(a.address));
      if (blocked) {
        const refused: NodeJS.ErrnoException = new Error(
          `${hostname} resolved to the private address ${blocked.address}`,
        );
        refused.code = "EFORBIDDEN";
        return callback(refused, "");
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
