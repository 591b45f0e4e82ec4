// Provider audits (x/audit): an auditor signs a provider's attributes on chain after checking its
// hardware and operation. Akash Console trusts one auditor, the Akash Network's, and offers
// "audited providers only" by adding it to the SDL's placement `signedBy.anyOf`.

/** The auditor Akash Console trusts (console's AUDITOR). */
export const AKASH_AUDITOR = "akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63";

/** How an auditor is named on screen: the Akash Network's by name, any other by address. */
export function auditorName(address: string): string {
  return address === AKASH_AUDITOR ? "Akash Network" : address;
}
