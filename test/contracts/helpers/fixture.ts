// The shared fixture of the node:test contract tests: HEXS deployed through Ignition, a paid
// agent created by alice, a free agent created by bob, and users with nothing yet.
import { keccak256, toHex, type Address, type Hex } from "viem";
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

export function keyOf(label: string): Hex {
  return keccak256(toHex(label));
}

export function usage(keyHash: Hex, units: bigint) {
  return { keyHash, units };
}
