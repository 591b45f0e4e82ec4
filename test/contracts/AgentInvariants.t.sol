// SPDX-License-Identifier: MIT
// HEXS test/contracts/AgentInvariants.t.sol
pragma solidity ^0.8.30;

import {Agent} from "../../contracts/Agent.sol";
import {AgentLedger} from "../../contracts/AgentLedger.sol";
import {HexsFactory} from "../../contracts/HexsFactory.sol";
import {IAgent} from "../../contracts/interfaces/IAgent.sol";
import {TestBase} from "./utils/TestBase.sol";
import {Deploy} from "./utils/Deploy.sol";

/**
 * @dev Drives a paid agent and a derived agent (which pays royalty to the first) through random
 * sequences of user, operator, owner and sale actions with mostly-valid inputs.
 */
contract AgentHandler is TestBase {
    uint96 internal constant PRICE = 1e12;
    Agent public immutable parent;
    Agent public immutable child;
    address[] internal _actors;
    bytes32[] internal _keys;
    mapping(bytes32 keyId => Agent) internal _keyAgent;
    /// @dev Ghosts the invariants read: each turns true if a step broke its rule.
    bool public replayChangedUsage;
    bool public sequenceWentBack;
    bool public saleLeftPositionBehind;
    mapping(Agent agent => mapping(address actor => uint256)) public creditsBought;

    constructor(Agent parent_, Agent child_, address[] memory actors_) {
        parent = parent_;
        child = child_;
        _actors = actors_;
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function keys() external view returns (bytes32[] memory) {
        return _keys;
    }

    function keyAgent(bytes32 keyId) external view returns (Agent) {
        return _keyAgent[keyId];
    }

    function buyCredits(uint256 actorSeed, uint256 agentSeed, uint256 credits, uint256 extraWei) external {
        address actor = _actor(actorSeed);
        Agent agent = _agent(agentSeed);
        credits = bound(credits, 1, 10_000);
        uint256 value = credits * PRICE + bound(extraWei, 0, 1 ether);
        vm.deal(actor, value);
        vm.prank(actor);
        agent.buyCredits{value: value}(credits);
        creditsBought[agent][actor] += credits;
    }

    function createKey(uint256 actorSeed, uint256 agentSeed, uint256 cap) external {
        address actor = _actor(actorSeed);
        Agent agent = _agent(agentSeed);
        vm.prank(actor);
        bytes32 keyId = agent.createApiKey(keccak256(abi.encode(agent, _keys.length)), bound(cap, 0, 5_000));
        _keys.push(keyId);
        _keyAgent[keyId] = agent;
    }

    /// @dev Settles one or two lines; now and then a line repeats its key's last sequence (a replay).
    function settle(uint256 keySeed, uint256 units, uint256 keySeed2, uint256 units2, bool replay) external {
        if (_keys.length == 0) return;
        bytes32 a = _keys[keySeed % _keys.length];
        bytes32 b = _keys[keySeed2 % _keys.length];
        Agent agent = _keyAgent[a];
        bool two = _keyAgent[b] == agent && a != b;
        IAgent.Usage[] memory usage = new IAgent.Usage[](two ? 2 : 1);
        IAgent.ApiKey memory before = agent.apiKey(a);
        bool replayed = replay && before.sequence != 0;
        usage[0] = IAgent.Usage(a, replayed ? before.sequence : before.sequence + 1, bound(units, 0, 3_000));
        if (two) usage[1] = IAgent.Usage(b, agent.apiKey(b).sequence + 1, bound(units2, 0, 3_000));
        vm.prank(agent.operator());
        agent.settle(usage);
        IAgent.ApiKey memory afterwards = agent.apiKey(a);
        if (replayed && afterwards.spent != before.spent) replayChangedUsage = true;
        if (afterwards.sequence < before.sequence) sequenceWentBack = true;
    }

    function revokeKey(uint256 keySeed) external {
        if (_keys.length == 0) return;
        bytes32 keyId = _keys[keySeed % _keys.length];
        Agent agent = _keyAgent[keyId];
        vm.prank(agent.apiKey(keyId).user);
        agent.revokeApiKey(keyId);
    }

    function refundCredits(uint256 actorSeed, uint256 agentSeed, uint256 unsettled, bool wait) external {
        address actor = _actor(actorSeed);
        Agent agent = _agent(agentSeed);
        if (agent.account(actor).refundAvailableAt == 0) {
            vm.prank(actor);
            agent.requestCreditRefund(bound(unsettled, 0, 1_000));
        }
        if (wait) vm.warp(block.timestamp + agent.REFUND_NOTICE_PERIOD());
        vm.prank(actor);
        agent.withdrawCredits();
    }

    function activateVotes(uint256 actorSeed, uint256 agentSeed) external {
        _agent(agentSeed).activateVotes(_actor(actorSeed));
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 2 days));
    }

    function withdraw(uint256 actorSeed, uint256 agentSeed) external {
        address actor = _actor(actorSeed);
        vm.prank(actor);
        _agent(agentSeed).withdraw();
    }

    function withdrawProtocolFees(uint256 agentSeed) external {
        _agent(agentSeed).withdrawProtocolFees();
    }

    function rate(uint256 actorSeed, uint256 agentSeed, uint8 stars) external {
        address actor = _actor(actorSeed);
        vm.prank(actor);
        _agent(agentSeed).rate(uint8(bound(stars, 1, 5)));
    }

    function publishVersion(uint256 agentSeed) external {
        Agent agent = _agent(agentSeed);
        address owner = agent.owner();
        vm.prank(owner);
        agent.publishVersion("bafkreiversion", Deploy.record(owner, 0));
    }

    function sell(uint256 agentSeed, uint256 buyerSeed, uint256 price) external {
        Agent agent = _agent(agentSeed);
        address seller = agent.owner();
        address buyer = _actor(buyerSeed);
        if (buyer == seller) return;
        AgentLedger ledger = AgentLedger(agent.links().ledger);
        uint256 expected = ledger.sharesOf(buyer) + ledger.sharesOf(seller);
        price = bound(price, 1, 100 ether);
        vm.prank(seller);
        agent.listForSale(price);
        vm.deal(buyer, price);
        vm.prank(buyer);
        agent.buyAgent{value: price}(address(0));
        if (ledger.sharesOf(buyer) != expected || ledger.sharesOf(seller) != 0 || agent.operator() != buyer) {
            saleLeftPositionBehind = true;
        }
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    function _agent(uint256 seed) internal view returns (Agent) {
        return seed % 2 == 0 ? parent : child;
    }
}

contract AgentInvariantsTest is TestBase {
    AgentHandler internal handler;
    Agent internal parent;
    Agent internal child;
    address internal constant TREASURY = address(0x7EA5);

    function setUp() public {
        address creator = address(0xC0FFEE);
        address deriver = address(0xDE21);
        HexsFactory factory = Deploy.factory(address(this), TREASURY);
        vm.prank(creator);
        (address p, , ) = factory.createAgent(Deploy.params("parent", creator, address(0), IAgent.AccessMode.Paid, 1e12));
        vm.prank(deriver);
        (address c, , ) = factory.createAgent(Deploy.params("child", deriver, p, IAgent.AccessMode.Paid, 1e12));
        parent = Agent(p);
        child = Agent(c);

        address[] memory actors = new address[](6);
        actors[0] = creator;
        actors[1] = deriver;
        for (uint256 i = 2; i < actors.length; ++i) actors[i] = address(uint160(0xA000 + i));
        handler = new AgentHandler(parent, child, actors);
        targetContract(address(handler));
    }

    function invariant_ethHeldEqualsLiabilities() public view {
        _checkLiabilities(parent);
        _checkLiabilities(child);
    }

    function invariant_claimsNeverExceedUnclaimed() public view {
        _checkClaims(parent);
        _checkClaims(child);
    }

    function invariant_creditsMatchDeposits() public view {
        _checkCredits(parent);
        _checkCredits(child);
    }

    function invariant_spentNeverAboveCap() public view {
        bytes32[] memory keys = handler.keys();
        for (uint256 i = 0; i < keys.length; ++i) {
            IAgent.ApiKey memory key = handler.keyAgent(keys[i]).apiKey(keys[i]);
            assertLe(key.spent, key.cap, "spent <= cap");
        }
    }

    function invariant_sharesSumToTotal() public view {
        _checkShares(parent);
        _checkShares(child);
    }

    function invariant_votesAreSharesPlusSpendNeverMembership() public view {
        _checkVotes(parent);
        _checkVotes(child);
    }

    function invariant_billedNeverAboveCreditsBought() public view {
        _checkBilled(parent);
        _checkBilled(child);
    }

    function invariant_settlementIsSequenced() public view {
        assertTrue(!handler.replayChangedUsage(), "a replayed line changes nothing");
        assertTrue(!handler.sequenceWentBack(), "sequences never go back");
    }

    function invariant_aSaleMovesTheWholePosition() public view {
        assertTrue(!handler.saleLeftPositionBehind(), "buyer gets the seller's shares and the operator role");
    }

    function _checkLiabilities(Agent agent) private view {
        assertEq(
            address(agent).balance,
            agent.protocolFeesOwed() + agent.creditsValue() + agent.unclaimed(),
            "balance == fees + credits + unclaimed"
        );
    }

    function _checkClaims(Agent agent) private view {
        address[] memory actors = handler.actors();
        uint256 claims = 0;
        for (uint256 i = 0; i < actors.length; ++i) claims += agent.withdrawable(actors[i]);
        assertLe(claims, agent.unclaimed(), "sum of withdrawable <= unclaimed");
        // Per-holder flooring leaves at most one wei per holder per distribution behind; bound it loosely.
        assertLe(agent.unclaimed() - claims, 1e9, "rounding dust stays tiny");
    }

    function _checkCredits(Agent agent) private view {
        address[] memory actors = handler.actors();
        uint256 deposits = 0;
        for (uint256 i = 0; i < actors.length; ++i) {
            IAgent.Account memory a = agent.account(actors[i]);
            deposits += a.deposit;
            if (a.credits == 0) assertEq(a.deposit, 0, "no deposit without credits");
        }
        assertEq(deposits, agent.creditsValue(), "creditsValue == sum of deposits");
    }

    function _checkVotes(Agent agent) private view {
        AgentLedger ledger = AgentLedger(agent.links().ledger);
        address[] memory actors = handler.actors();
        for (uint256 i = 0; i < actors.length; ++i) {
            uint256 spendVotes = ledger.spendVotesOf(actors[i]);
            assertEq(ledger.getVotes(actors[i]), ledger.sharesOf(actors[i]) + spendVotes, "votes == shares + spend votes");
            assertLe(spendVotes * ledger.SPEND_PER_VOTE(), agent.account(actors[i]).spent, "spend votes <= spent");
        }
    }

    function _checkBilled(Agent agent) private view {
        bytes32[] memory keys = handler.keys();
        address[] memory actors = handler.actors();
        for (uint256 a = 0; a < actors.length; ++a) {
            uint256 billed = 0;
            for (uint256 i = 0; i < keys.length; ++i) {
                if (handler.keyAgent(keys[i]) != agent) continue;
                IAgent.ApiKey memory key = agent.apiKey(keys[i]);
                if (key.user == actors[a]) billed += key.spent;
            }
            assertLe(billed, handler.creditsBought(agent, actors[a]), "billed <= credits bought");
        }
    }

    function _checkShares(Agent agent) private view {
        AgentLedger ledger = AgentLedger(agent.links().ledger);
        address[] memory actors = handler.actors();
        uint256 sum = 0;
        for (uint256 i = 0; i < actors.length; ++i) sum += ledger.sharesOf(actors[i]);
        assertEq(sum, ledger.totalShares(), "total shares == sum of balances");
    }
}
