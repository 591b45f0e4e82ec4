import type { Address } from "viem";
import { deployments, type FactoryDeployment } from "../contracts/deployments.ts";
import { HexsError } from "../errors.ts";

export class FactoryNotDeployedError extends HexsError {
  override name = "FactoryNotDeployedError";
  constructor(chainId: number) {
    super(`HEXS is not deployed on chain ${chainId}. Pick another chain in Settings.`);
  }
}

/** The HexsFactory deployment on `chainId`, from the generated deployments module. */
export function factoryDeployment(chainId: number): FactoryDeployment {
  const deployment = deployments[chainId]?.HexsFactory;
  if (!deployment) throw new FactoryNotDeployedError(chainId);
  return deployment;
}

export function factoryAddress(chainId: number): Address {
  return factoryDeployment(chainId).address;
}
