// The one deployment of HEXS: the three implementations every agent clones, and the factory.
// Tests, the seed script and `npm start` all deploy through this module.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** Protocol fee taken from settled revenue and sale proceeds, in basis points (the cap is 500). */
export const DEFAULT_PROTOCOL_FEE_BPS = 250n;

export default buildModule("Hexs", (m) => {
  const deployer = m.getAccount(0);
  const treasury = m.getParameter("treasury", deployer);
  const protocolFeeBps = m.getParameter("protocolFeeBps", DEFAULT_PROTOCOL_FEE_BPS);
  const owner = m.getParameter("owner", deployer);

  const agentImplementation = m.contract("Agent", []);
  const ledgerImplementation = m.contract("AgentLedger", []);
  const daoImplementation = m.contract("AgentDAO", []);
  const factory = m.contract("HexsFactory", [
    owner,
    agentImplementation,
    ledgerImplementation,
    daoImplementation,
    treasury,
    protocolFeeBps,
  ]);

  return { factory, agentImplementation, ledgerImplementation, daoImplementation };
});
