import { HexsError } from "../../errors.ts";

/** A proposal form whose values cannot become a valid proposal; `field` names the input at fault. */
export class DaoProposalInputError extends HexsError {
  override name = "DaoProposalInputError";
  readonly field: string;
  constructor(field: string, shortMessage: string) {
    super(shortMessage, { details: `field: ${field}` });
    this.field = field;
  }
}

/** A governor returned a proposal state this app does not know (a newer Governor version). */
export class DaoUnknownProposalStateError extends HexsError {
  override name = "DaoUnknownProposalStateError";
  constructor(state: number) {
    super(`The DAO reported an unknown proposal state ${state}.`);
  }
}

/** The local chain's time control was misused: another chain (whose clock cannot move) or a bad step. */
export class DaoDevControlError extends HexsError {
  override name = "DaoDevControlError";
}
