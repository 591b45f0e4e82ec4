// The shared fixture of the node:test contract tests: HEXS deployed through Ignition, a paid
// agent created by alice, a free agent created by bob, and users with nothing yet.
import { keccak256, toHex, type Address, type Hex } from "viem";
import { createAgent, deployHexs, type Connection } from "./deploy.ts";
import { AccessMode } from "./params.ts";

export const PRICE = 10n ** 12n;
export const FEE_BPS = 250n;

export async function marketplaceFixture(connection: Connection) {
  const hexs = await deployHexs(connection);
  const [alice, bob, carol, dave, erin, frank] = hexs.others.map((w) => w.account.address);
  const paid = await createAgent(hexs, alice, "paid");
  const free = await createAgent(hexs, bob, "free", {
    settings: { mode: AccessMode.Free, pricePerCredit: 0n, royaltyBps: 0, operator: bob, endpoint: "" },
  });
  return {
    ...hexs,
    treasury: hexs.deployer.account.address,
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

export function keyOf(label: string): Hex {
  return keccak256(toHex(label));
}

export function usage(keyHash: Hex, units: bigint) {
  return { keyHash, units };
}

export type { Address };
