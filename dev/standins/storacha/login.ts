// Email login at the Storacha stand-in. The real service mails a link to
// `/validate-email?ucan=…`; opening it runs the `access/confirm` invocation the link carries,
// which hands the agent its account delegation. No mail can leave this machine, so the
// stand-in "clicks" the link itself (unless told not to) and logs that it did. It also gives
// each confirmed account a plan, which on the real service the user picks at checkout.
import { extractConfirmInvocation } from "@storacha/upload-api/test/utils";
import type { AccountDID, Email, PlansStorage } from "@storacha/upload-api/types";
import type { StorachaService } from "./service.ts";

/** The product DID recorded as every stand-in account's plan. */
export const STANDIN_PLAN = "did:web:starter.standin.storacha.local";

export class StorachaLoginError extends Error {
  override name = "StorachaLoginError";
}

export interface LoginOptions {
  /** Confirm every login link as soon as it is "sent" (default). Off: open the logged link yourself. */
  autoConfirm: boolean;
  log: (line: string) => void;
}

/** The service's mailer: logs the link and, with `autoConfirm`, confirms it on the next tick. */
export function standInEmail(getService: () => StorachaService, options: LoginOptions): Email {
  return {
    async sendValidation({ to, url }) {
      if (!options.autoConfirm) {
        options.log(`no email sent (stand-in): ${to} logs in by opening ${url}`);
        return;
      }
      options.log(`no email sent (stand-in): confirming ${to}'s login itself`);
      // After the access/authorize answer, as a user's click would come.
      setImmediate(() => {
        confirmLogin(getService(), new URL(url)).catch((error: unknown) =>
          options.log(`login confirmation for ${to} failed: ${(error as Error).message}`),
        );
      });
    },
  };
}

/**
 * What opening the validation link does: runs its `access/confirm` invocation, then records a
 * plan for the account (once). Returns the account's DID.
 * @throws StorachaLoginError when the link is not a valid confirmation or the service refuses it.
 */
export async function confirmLogin(service: StorachaService, url: URL): Promise<AccountDID> {
  let confirm: Awaited<ReturnType<typeof extractConfirmInvocation>>;
  try {
    confirm = await extractConfirmInvocation(url);
  } catch (cause) {
    throw new StorachaLoginError("not a login confirmation link", { cause });
  }
  const [receipt] = await service.connection.execute(confirm);
  if (receipt.out.error) throw new StorachaLoginError(receipt.out.error.message, { cause: receipt.out.error });
  const account = confirm.capabilities[0].nb.iss as AccountDID;
  await grantPlan(service.context.plansStorage, account);
  return account;
}

async function grantPlan(plans: PlansStorage, account: AccountDID): Promise<void> {
  const existing = await plans.get(account);
  if (existing.ok) return;
  const created = await plans.initialize(account, `standin:${account}`, STANDIN_PLAN);
  if (created.error) throw new StorachaLoginError(created.error.message, { cause: created.error });
}
