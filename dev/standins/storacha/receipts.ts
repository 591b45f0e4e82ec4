// `GET /receipt/<task CID>`: the receipts endpoint the Storacha client polls while a blob is
// being accepted. The upload service records every agent message it receives and answers in
// its agent store; this reads the receipt for the task from there and answers with an agent
// message (a CAR) carrying it, the shape `@storacha/upload-client`'s `receipts.get` decodes.
import type { AgentStore } from "@storacha/upload-api/types";
import { Message, parseLink } from "@ucanto/core";
import * as CAR from "@ucanto/transport/car";

export type ReceiptAnswer = { status: 200; body: Uint8Array } | { status: 400 | 404; message: string };

export async function receiptFor(store: AgentStore, taskCid: string): Promise<ReceiptAnswer> {
  let task;
  try {
    task = parseLink(taskCid);
  } catch {
    return { status: 400, message: `not a task CID: ${taskCid}` };
  }
  const found = await store.receipts.get(task);
  if (found.error) return { status: 404, message: `no receipt for task ${taskCid}` };
  const message = await Message.build({ receipts: [found.ok] });
  return { status: 200, body: CAR.request.encode(message).body };
}
