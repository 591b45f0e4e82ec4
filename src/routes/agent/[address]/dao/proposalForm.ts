import { isAddress, isHex, parseEther, type Address, type Hex } from "viem";
import { DaoProposalInputError } from "#lib/chain/dao/errors.ts";
import type { ProposalTemplate } from "#lib/chain/dao/templates.ts";

export type TemplateKind = ProposalTemplate["kind"];

export const TEMPLATE_LABELS: Record<TemplateKind, string> = {
  price: "Change the price",
  mode: "Change the access mode",
  endpoint: "Change the endpoint",
  royalty: "Change the parent royalty",
  royaltyFloor: "Change the royalty floor for derived agents",
  daoPowers: "Change the DAO's powers",
  version: "Accept a contributed version",
  transfer: "Transfer treasury funds",
  raw: "Raw call (target, value, calldata)",
};

/** Everything the new-proposal form holds, as typed; one template's fields are read at a time. */
export interface ProposalForm {
  kind: TemplateKind;
  priceEth: string;
  mode: "free" | "paid";
  endpoint: string;
  royaltyBps: string;
  floorBps: string;
  powers: number;
  weightsCid: string;
  contributor: string;
  baseVersion: string;
  datasetCid: string;
  metricsCid: string;
  leaseProvider: string;
  leaseDseq: string;
  leaseCost: string;
  to: string;
  amountEth: string;
  target: string;
  valueEth: string;
  calldata: string;
  description: string;
}

/** Reads the chosen template's fields; throws {@link DaoProposalInputError} naming the bad field. */
export function templateFromForm(form: ProposalForm): ProposalTemplate {
  switch (form.kind) {
    case "price":
      return { kind: "price", pricePerCredit: eth("priceEth", form.priceEth) };
    case "mode":
      return { kind: "mode", mode: form.mode };
    case "endpoint":
      return { kind: "endpoint", endpoint: form.endpoint };
    case "royalty":
      return { kind: "royalty", royaltyBps: Number(whole("royaltyBps", form.royaltyBps)) };
    case "royaltyFloor":
      return { kind: "royaltyFloor", floorBps: Number(whole("floorBps", form.floorBps)) };
    case "daoPowers":
      return { kind: "daoPowers", powers: form.powers };
    case "version":
      return {
        kind: "version",
        weightsCid: form.weightsCid,
        record: {
          contributor: address("contributor", form.contributor),
          baseVersion: Number(whole("baseVersion", form.baseVersion)),
          datasetCid: form.datasetCid.trim(),
          metricsCid: form.metricsCid.trim(),
          leaseProvider: form.leaseProvider.trim(),
          leaseDseq: whole("leaseDseq", form.leaseDseq || "0"),
          leaseCost: whole("leaseCost", form.leaseCost || "0"),
        },
      };
    case "transfer":
      return { kind: "transfer", to: address("to", form.to), amount: eth("amountEth", form.amountEth) };
    case "raw":
      return {
        kind: "raw",
        target: address("target", form.target),
        value: eth("valueEth", form.valueEth || "0"),
        calldata: calldata(form.calldata),
      };
  }
}

function eth(field: string, text: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(text.trim())) {
    throw new DaoProposalInputError(field, "Enter an amount of ETH such as 0.0002.");
  }
  return parseEther(text.trim());
}

function whole(field: string, text: string): bigint {
  if (!/^\d+$/.test(text.trim())) throw new DaoProposalInputError(field, "Enter a whole number.");
  return BigInt(text.trim());
}

function address(field: string, text: string): Address {
  const value = text.trim();
  if (!isAddress(value)) throw new DaoProposalInputError(field, "Enter a 0x address of 40 hex digits.");
  return value;
}

function calldata(text: string): Hex {
  const value = (text.trim() || "0x").toLowerCase();
  if (!isHex(value) || value.length % 2 !== 0) {
    throw new DaoProposalInputError("calldata", "Calldata must be 0x followed by whole bytes of hex.");
  }
  return value;
}
