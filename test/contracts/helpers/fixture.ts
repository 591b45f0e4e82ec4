// The shared fixture of the node:test contract tests: HEXS deployed through Ignition, a paid
// agent created by alice, a free agent created by bob, and users with nothing yet.
import { encodeAbiParameters, keccak256, toHex, type Address, type Hex } from "viem";
import { createAgent, deployHexs, must, type Connection } from "./deploy.ts";
import { AccessMode } from "./params.ts";

export const PRICE = 10n ** 12n;
export const FEE_BPS = 250n;

export async function marketplaceFixture(connection: Connection) {
  const hexs = await deployHexs(connection);
  const name = (i: number) => must(hexs.others[i]?.account, `test account ${i}`).address;
  const [alice, bob, carol, dave, erin, frank] = [0, 1, 2, 3, 4, 5].map(name) as [
    Address,
    Address,
    Address,
    Address,
    Address,
    Address,
  ];
  const paid = await createAgent(hexs, alice, "paid");
  const free = await createAgent(hexs, bob, "free", {
    settings: { mode: AccessMode.Free, pricePerCredit: 0n, royaltyBps: 0, operator: bob, endpoint: "" },
  });
  return {
    ...hexs,
    treasury: must(hexs.deployer.account, "deployer account").address,
    alice,
    bob,
    carol,
    dave,
    erin,
    frank,
    paid,
    free,
  };
}

export type Marketplace = Awaited<ReturnType<typeof marketplaceFixture>>;

/** The hash of a test API key's secret, from a label (what `createApiKey` takes). */
export function secretHashOf(label: string): Hex {
  return keccak256(toHex(label));
}

/** The id the agent files `user`'s key `label` under: `keccak256(abi.encode(user, secretHash))`. */
export function keyIdOf(user: Address, label: string): Hex {
  return keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [user, secretHashOf(label)]));
}

/** One settlement line: `units` used through `keyId`, numbered `sequence` for that key. */
export function usage(keyId: Hex, units: bigint, sequence = 1n) {
  return { keyId, sequence, units };
}
