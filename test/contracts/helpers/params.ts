// Builders for createAgent parameters, shared by the contract tests, the gas benchmark and the seed.
import { keccak256, toHex, zeroAddress, type Address, type Hex } from "viem";

export const AccessMode = { Free: 0, Paid: 1 } as const;
export type AccessModeValue = (typeof AccessMode)[keyof typeof AccessMode];

export interface TrainingRecordInput {
  contributor: Address;
  baseVersion: number;
  datasetCid: string;
  metricsCid: string;
  leaseProvider: string;
  leaseDseq: bigint;
  leaseCost: bigint;
}

export interface CreateAgentInput {
  salt: Hex;
  metadata: {
    name: string;
    modelCardCid: string;
    baseModel: string;
    baseModelRevision: string;
    initialWeightsCid: string;
  };
  parent: Address;
  settings: {
    mode: number;
    pricePerCredit: bigint;
    royaltyBps: number;
    operator: Address;
    endpoint: string;
  };
  firstVersion: TrainingRecordInput;
  votingDelay: number;
  votingPeriod: number;
  quorumPercent: number;
}

/** A realistic CIDv1 (base32, 59 characters) derived from a label, for tests only. */
export function testCid(label: string): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const digest = keccak256(toHex(label)).slice(2);
  let out = "bafkrei";
  for (let i = 0; out.length < 59; i++) out += alphabet[parseInt(digest.charAt(i % digest.length), 16) * 2];
  return out;
}

export function trainingRecord(contributor: Address, label: string, baseVersion = 0): TrainingRecordInput {
  return {
    contributor,
    baseVersion,
    datasetCid: testCid(`${label}/dataset`),
    metricsCid: testCid(`${label}/metrics`),
    leaseProvider: "akash1q7spv2cw06yszgfp4f9ed59lkka6ytn8g4tkjf",
    leaseDseq: 18_231_044n,
    leaseCost: 1_250_000n,
  };
}

/** createAgent parameters for `owner` with sensible defaults; override any top-level field. */
export function agentParams(
  owner: Address,
  label: string,
  overrides: Partial<CreateAgentInput> = {},
): CreateAgentInput {
  return {
    salt: keccak256(toHex(label)),
    metadata: {
      name: label,
      modelCardCid: testCid(`${label}/card`),
      baseModel: "hexs/tiny-gpt",
      baseModelRevision: "4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b",
      initialWeightsCid: testCid(`${label}/weights`),
    },
    parent: zeroAddress,
    settings: {
      mode: AccessMode.Paid,
      pricePerCredit: 10n ** 12n,
      royaltyBps: 0,
      operator: owner,
      endpoint: "http://127.0.0.1:8787/v1",
    },
    firstVersion: trainingRecord(owner, label),
    votingDelay: 1,
    votingPeriod: 3600,
    quorumPercent: 4,
    ...overrides,
  };
}
