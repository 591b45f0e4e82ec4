// SPDX-License-Identifier: MIT
// HEXS test/contracts/Governance.t.sol
pragma solidity ^0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Agent} from "../../contracts/Agent.sol";
import {AgentDAO} from "../../contracts/AgentDAO.sol";
import {AgentLedger} from "../../contracts/AgentLedger.sol";
import {HexsFactory} from "../../contracts/HexsFactory.sol";
import {IAgent} from "../../contracts/interfaces/IAgent.sol";
import {IAgentDAO} from "../../contracts/interfaces/IAgentDAO.sol";
import {IHexsFactory} from "../../contracts/interfaces/IHexsFactory.sol";
import {TestBase} from "./utils/TestBase.sol";
import {Deploy} from "./utils/Deploy.sol";

contract GovernanceTest is TestBase {
    address internal constant CREATOR = address(0xC0FFEE);
    uint96 internal constant PRICE = 1e12;
    HexsFactory internal factory;
    Agent internal agent;
    AgentLedger internal ledger;
    AgentDAO internal dao;

    function setUp() public {
        vm.warp(1_000_000);
        factory = Deploy.factory(address(this), address(0x7EA5));
        vm.prank(CREATOR);
        (address a, address l, address d) = factory.createAgent(
            Deploy.params("gov", CREATOR, address(0), IAgent.AccessMode.Paid, PRICE)
        );
        agent = Agent(a);
        ledger = AgentLedger(l);
        dao = AgentDAO(payable(d));
    }

    /// @dev A member who bought `credits` and had `used` of them settled (and its votes activated).
    function _member(uint256 seed, uint256 credits, uint256 used) internal returns (address member) {
        member = address(uint160(bound(seed, 0x1000, type(uint128).max)));
        vm.assume(member != CREATOR);
        vm.deal(member, credits * PRICE);
        vm.startPrank(member);
        agent.buyCredits{value: credits * PRICE}(credits);
        bytes32 keyId = agent.createApiKey(keccak256(abi.encode(member)), credits);
        vm.stopPrank();
        if (used != 0) {
            IAgent.Usage[] memory usage = new IAgent.Usage[](1);
            usage[0] = IAgent.Usage({keyId: keyId, sequence: 1, units: used});
            vm.prank(CREATOR);
            agent.settle(usage);
        }
        agent.activateVotes(member);
    }

    function _propose(address proposer, string memory description) internal returns (uint256 id) {
        (address[] memory targets, uint256[] memory values, bytes[] memory calls) = _priceChange();
        vm.prank(proposer);
        id = dao.propose(targets, values, calls, description);
    }

    function _priceChange() internal view returns (address[] memory targets, uint256[] memory values, bytes[] memory calls) {
        targets = new address[](1);
        targets[0] = address(agent);
        values = new uint256[](1);
        calls = new bytes[](1);
        calls[0] = abi.encodeCall(IAgent.setPrice, (2e12));
    }

    function test_fuzz_membershipAndRefundedCreditsCarryNoVotes(uint256 seed, uint16 credits) public {
        address member = _member(seed, bound(credits, 1, 10_000), 0);
        vm.startPrank(member);
        agent.requestCreditRefund(0);
        vm.warp(block.timestamp + agent.REFUND_NOTICE_PERIOD());
        agent.withdrawCredits();
        vm.stopPrank();
        assertEq(ledger.getVotes(member), 0, "a member with nothing spent has no votes");
        vm.warp(block.timestamp + 1);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, member, 0, 1));
        _propose(member, "free votes");
    }

    function test_fuzz_settledSpendingVotesOncePerProposal(uint256 seed, uint16 used, uint8 first, uint8 second) public {
        uint256 units = bound(used, 10, 10_000);
        address member = _member(seed, 10_000, units);
        uint256 expected = (units * PRICE) / ledger.SPEND_PER_VOTE();
        assertEq(ledger.getVotes(member), expected, "one vote per SPEND_PER_VOTE wei spent");
        vm.warp(block.timestamp + 1);
        uint256 id = _propose(member, "one vote each");
        vm.warp(block.timestamp + 2);
        vm.prank(member);
        uint256 weight = dao.castVote(id, uint8(bound(first, 0, 2)));
        assertEq(weight, expected, "votes with its spend-derived units");
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, member));
        vm.prank(member);
        dao.castVote(id, uint8(bound(second, 0, 2)));
        (uint256 against, uint256 forVotes, uint256 abstain) = dao.proposalVotes(id);
        assertEq(against + forVotes + abstain, weight, "counted once");
    }

    function test_fuzz_votesComeFromTheSnapshot(uint256 seed, uint256 delay) public {
        vm.warp(block.timestamp + 1); // proposers need votes one second before proposing
        uint256 id = _propose(CREATOR, "snapshot");
        vm.warp(dao.proposalSnapshot(id) + 1 + bound(delay, 0, 30 minutes));
        // Spending after the vote started gives votes from now on, but none on this proposal.
        address late = _member(seed, 1_000, 1_000);
        assertEq(ledger.getVotes(late), 100, "late spender has current votes");
        vm.prank(late);
        assertEq(dao.castVote(id, 1), 0, "no votes at the snapshot");
        vm.prank(CREATOR);
        assertEq(dao.castVote(id, 1), 10_000, "creator votes with its shares at the snapshot");
    }

    function test_fuzz_aSaleCancelsProposalsSnapshottedBeforeIt(uint256 seed, uint256 price) public {
        address buyer = address(uint160(bound(seed, 0x1000, type(uint128).max)));
        vm.assume(buyer != CREATOR);
        vm.warp(block.timestamp + 1);
        uint256 id = _propose(CREATOR, "seller's last word");
        vm.warp(dao.proposalSnapshot(id) + 1);
        vm.prank(CREATOR);
        dao.castVote(id, 1);
        uint256 salePrice = bound(price, 1, 100 ether);
        vm.prank(CREATOR);
        agent.listForSale(salePrice);
        vm.deal(buyer, salePrice);
        vm.prank(buyer);
        agent.buyAgent{value: salePrice}(address(0));
        assertTrue(dao.state(id) == IGovernor.ProposalState.Canceled, "cancelled by the sale");
        assertEq(agent.operator(), buyer, "the buyer operates the agent");
        assertEq(ledger.sharesOf(buyer), 10_000, "the buyer holds the seller's shares");
        vm.warp(dao.proposalDeadline(id) + 1);
        vm.expectRevert();
        dao.queue(id);
    }

    function test_fuzz_executionWaitsForTheTimelock(uint256 early) public {
        vm.warp(block.timestamp + 1);
        uint256 id = _propose(CREATOR, "timelocked");
        vm.warp(dao.proposalSnapshot(id) + 1);
        vm.prank(CREATOR);
        dao.castVote(id, 1);
        vm.warp(dao.proposalDeadline(id) + 1);
        dao.queue(id);
        uint256 eta = dao.proposalEta(id);
        assertEq(eta, block.timestamp + dao.EXECUTION_DELAY(), "ETA one delay ahead");
        vm.warp(block.timestamp + bound(early, 0, dao.EXECUTION_DELAY() - 1));
        vm.expectRevert(abi.encodeWithSelector(IAgentDAO.AgentDAOTimelockNotReady.selector, id, eta));
        dao.execute(id);
        vm.warp(eta);
        dao.execute(id);
        assertEq(agent.pricePerCredit(), 2e12, "executed at its ETA");
    }

    function test_fuzz_governanceTimesAreBounded(uint48 delay, uint32 period) public {
        IHexsFactory.CreateAgentParams memory p = Deploy.params("bounds", CREATOR, address(0), IAgent.AccessMode.Free, 0);
        p.votingDelay = uint48(bound(delay, dao.MAX_VOTING_DELAY() + 1, type(uint48).max));
        vm.expectRevert(
            abi.encodeWithSelector(IAgentDAO.AgentDAOInvalidVotingDelay.selector, p.votingDelay, dao.MAX_VOTING_DELAY())
        );
        factory.createAgent(p);
        p.votingDelay = 0;
        p.votingPeriod = uint32(bound(period, dao.MAX_VOTING_PERIOD() + 1, type(uint32).max));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAgentDAO.AgentDAOInvalidVotingPeriod.selector,
                p.votingPeriod,
                dao.MIN_VOTING_PERIOD(),
                dao.MAX_VOTING_PERIOD()
            )
        );
        factory.createAgent(p);
    }
}
