// SPDX-License-Identifier: MIT
// HEXS test/contracts/Governance.t.sol
pragma solidity ^0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Agent} from "../../contracts/Agent.sol";
import {AgentDAO} from "../../contracts/AgentDAO.sol";
import {AgentLedger} from "../../contracts/AgentLedger.sol";
import {HexsFactory} from "../../contracts/HexsFactory.sol";
import {IAgent} from "../../contracts/interfaces/IAgent.sol";
import {TestBase} from "./utils/TestBase.sol";
import {Deploy} from "./utils/Deploy.sol";

contract GovernanceTest is TestBase {
    address internal constant CREATOR = address(0xC0FFEE);
    Agent internal agent;
    AgentLedger internal ledger;
    AgentDAO internal dao;

    function setUp() public {
        vm.warp(1_000_000);
        HexsFactory factory = Deploy.factory(address(this), address(0x7EA5));
        vm.prank(CREATOR);
        (address a, address l, address d) = factory.createAgent(
            Deploy.params("gov", CREATOR, address(0), IAgent.AccessMode.Paid, 1e12)
        );
        agent = Agent(a);
        ledger = AgentLedger(l);
        dao = AgentDAO(payable(d));
    }

    function _member(uint256 seed) internal returns (address member) {
        member = address(uint160(bound(seed, 0x1000, type(uint128).max)));
        vm.assume(member != CREATOR);
        vm.deal(member, 1 ether);
        vm.prank(member);
        agent.buyCredits{value: 1e12}(1);
    }

    function _propose(address proposer, string memory description) internal returns (uint256 id) {
        address[] memory targets = new address[](1);
        targets[0] = address(agent);
        uint256[] memory values = new uint256[](1);
        bytes[] memory calls = new bytes[](1);
        calls[0] = abi.encodeCall(IAgent.setPrice, (2e12));
        vm.prank(proposer);
        id = dao.propose(targets, values, calls, description);
    }

    function test_fuzz_oneVotePerAccountPerProposal(uint256 seed, uint8 first, uint8 second) public {
        address member = _member(seed);
        vm.warp(block.timestamp + 1);
        uint256 id = _propose(member, "one vote each");
        vm.warp(block.timestamp + 2);
        vm.prank(member);
        uint256 weight = dao.castVote(id, uint8(bound(first, 0, 2)));
        assertEq(weight, ledger.MEMBER_WEIGHT(), "a member votes with its member weight");

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
        // Joining after the vote started gives votes from now on, but none on this proposal.
        address late = _member(seed);
        assertEq(ledger.getVotes(late), ledger.MEMBER_WEIGHT(), "late member has current votes");
        vm.prank(late);
        uint256 weight = dao.castVote(id, 1);
        assertEq(weight, 0, "no votes at the snapshot");
        vm.prank(CREATOR);
        assertEq(dao.castVote(id, 1), 10_100, "creator votes with shares + member weight at the snapshot");
    }

    function test_fuzz_sharesMovedAfterSnapshotDoNotMoveVotes(uint256 seed) public {
        address buyer = _member(seed);
        vm.warp(block.timestamp + 1);
        uint256 id = _propose(CREATOR, "sale during vote");
        vm.warp(dao.proposalSnapshot(id) + 1);
        vm.prank(CREATOR);
        agent.listForSale(1 ether);
        vm.deal(buyer, 1 ether);
        vm.prank(buyer);
        agent.buyAgent{value: 1 ether}();
        vm.prank(buyer);
        assertEq(dao.castVote(id, 1), ledger.MEMBER_WEIGHT(), "buyer votes with what it had at the snapshot");
        vm.prank(CREATOR);
        assertEq(dao.castVote(id, 0), 10_100, "seller keeps its snapshot votes");
    }
}
