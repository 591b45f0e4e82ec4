// A page's view of a deployment whose creation was sent but not seen confirmed (the tab closed,
// the node stopped answering), on /train and the serve page alike: asks the chain (reconcile.ts),
// and keeps asking while the transaction may still land. The record is only settled on the
// chain's word.
import type { CreationOutcome, SentCreation } from "#lib/akash/reconcile.ts";
import { settings } from "#lib/state/settings.svelte.ts";
import { errorText } from "#lib/akash/errorText.ts";

/** What a page recorded of a creation it sent: the transaction, and the deposit it escrows. */
export type SentDeployment = SentCreation & { deposit: string | undefined };

/** Which deployment the check is about; kept after a record is forgotten, to say what happened. */
export interface CheckedDeployment {
  dseq: string;
  /** In uact; unknown for a record kept before deposits were. */
  deposit: string | undefined;
  txHash: string | undefined;
}

export type CreationStatus = CheckedDeployment &
  (
    | { step: "checking" }
    | { step: "pending"; height: string; timeoutHeight: string }
    /** The chain could not be asked (node unreachable, another chain): the record stays. */
    | { step: "unknown"; problem: string }
    | { step: "created"; state: string }
    | { step: "not-created"; reason: string }
  );

export interface CreationSettlement {
  /** The deployment is on chain: the record becomes an ordinary in-flight run. */
  created(): void;
  /** It never was and never will be: nothing is escrowed, the record can go. */
  notCreated(): void;
}

const RECHECK_MS = 3000;

export class CreationCheck {
  status = $state.raw<CreationStatus>();
  readonly #settle: CreationSettlement;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every check and by stop(), so an answer to an older question is dropped. */
  #round = 0;

  constructor(settle: CreationSettlement) {
    this.#settle = settle;
  }

  /** Asks the chain what became of `record`'s creation; asks again while it may still land. */
  async check(record: SentDeployment): Promise<void> {
    const sending = record.sending;
    const round = this.#stopTimer();
    const subject = { dseq: record.dseq, deposit: record.deposit, txHash: sending.txHash };
    // A re-check keeps saying "pending" rather than flickering to "checking".
    if (this.status?.step !== "pending" || this.status.dseq !== record.dseq)
      this.status = { ...subject, step: "checking" };
    let outcome: CreationOutcome;
    try {
      const [{ akashNode }, { reconcileCreation }] = await Promise.all([
        import("#lib/akash/node.ts"),
        import("#lib/akash/reconcile.ts"),
      ]);
      const restUrl = settings.current.akashRestUrl;
      outcome = await reconcileCreation({ node: akashNode(restUrl), restUrl }, record);
    } catch (error) {
      if (round === this.#round) this.status = { ...subject, step: "unknown", problem: errorText(error) };
      return;
    }
    if (round !== this.#round) return;
    if (outcome.kind === "pending") {
      this.status = {
        ...subject,
        step: "pending",
        height: outcome.height.toString(),
        timeoutHeight: outcome.timeoutHeight.toString(),
      };
      this.#timer = setTimeout(() => void this.check(record), RECHECK_MS);
    } else if (outcome.kind === "created") {
      this.status = { ...subject, step: "created", state: outcome.state };
      this.#settle.created();
    } else {
      const reason =
        outcome.kind === "failed"
          ? `its transaction failed on chain (code ${outcome.code}: ${outcome.log})`
          : `its transaction was not included by block ${outcome.timeoutHeight}, and the chain is at block ${outcome.height}, so it never will be`;
      this.status = { ...subject, step: "not-created", reason };
      this.#settle.notCreated();
    }
  }

  /** Stops asking and forgets what was said. */
  clear(): void {
    this.#stopTimer();
    this.status = undefined;
  }

  #stopTimer(): number {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return ++this.#round;
  }
}
