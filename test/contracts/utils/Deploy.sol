// SPDX-License-Identifier: MIT
// HEXS test/contracts/utils/Deploy.sol
pragma solidity ^0.8.30;

import {Agent} from "../../../contracts/Agent.sol";
import {AgentDAO} from "../../../contracts/AgentDAO.sol";
import {AgentLedger} from "../../../contracts/AgentLedger.sol";
import {HexsFactory} from "../../../contracts/HexsFactory.sol";
import {IAgent} from "../../../contracts/interfaces/IAgent.sol";
import {IAgentLedger} from "../../../contracts/interfaces/IAgentLedger.sol";
import {IHexsFactory} from "../../../contracts/interfaces/IHexsFactory.sol";

/// @dev Deploys HEXS the way ignition/modules/Hexs.ts does, and builds createAgent parameters.
library Deploy {
    uint256 internal constant FEE_BPS = 250;

    function factory(address owner, address treasury) internal returns (HexsFactory) {
        return new HexsFactory(owner, address(new Agent()), address(new AgentLedger()), address(new AgentDAO()), treasury, FEE_BPS);
    }

    function params(
        string memory name,
        address creator,
        address parent,
        IAgent.AccessMode mode,
        uint96 price
    ) internal pure returns (IHexsFactory.CreateAgentParams memory p) {
        p.salt = keccak256(bytes(name));
        p.metadata = IAgent.Metadata({
            name: name,
            modelCardCid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
            baseModel: "hexs/tiny-gpt",
            baseModelRevision: "main",
            initialWeightsCid: "bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq"
        });
        p.parent = parent;
        p.settings = IAgent.Settings({
            mode: mode,
            pricePerCredit: price,
            royaltyBps: parent == address(0) ? 0 : 1_000,
            operator: creator,
            endpoint: "http://127.0.0.1:8787/v1"
        });
        p.firstVersion = record(creator, 0);
        p.votingDelay = 1;
        p.votingPeriod = 1 hours;
        p.quorumPercent = 4;
    }

    function record(address contributor, uint32 baseVersion) internal pure returns (IAgentLedger.TrainingRecord memory) {
        return
            IAgentLedger.TrainingRecord({
                contributor: contributor,
                baseVersion: baseVersion,
                datasetCid: "bafkreie5cvv4h45feyvqgcg7aiyaquezxbtsn5ow7x2sb2sp6oxtoztdmq",
                metricsCid: "bafkreiabag3ztnhe5pg7js4bji6xtfk6v4a5eh7f5yvlb3fgodd7uokdhi",
                leaseProvider: "akash1provider",
                leaseDseq: 42,
                leaseCost: 1_000_000
            });
    }
}
