// SPDX-License-Identifier: MIT
// HEXS contracts/test/ReentrantReceiver.sol
pragma solidity ^0.8.30;

/**
 * @dev Test-only attacker: acts as a user (or as the protocol treasury) of an agent and, whenever
 * it receives ETH, calls the agent again with `reentryCall`. It records whether that inner call
 * succeeded and what it reverted with, and accepts the ETH either way, so a test can check that
 * the re-entry was refused and that nothing was paid twice.
 */
contract ReentrantReceiver {
    address public target;
    bytes public reentryCall;
    uint256 public received;
    bool public reentered;
    bytes public reentryError;
    bool public rejectPayments;

    /// @notice Thrown by `receive` while `rejectPayments` is set.
    error ReentrantReceiverRejected();

    function setRejectPayments(bool reject) external {
        rejectPayments = reject;
    }

    function setAttack(address target_, bytes calldata reentryCall_) external {
        target = target_;
        reentryCall = reentryCall_;
    }

    /// @dev Forwards a call (with value) to `to`, so the test can act as this contract.
    function act(address to, bytes calldata data) external payable {
        (bool ok, bytes memory result) = to.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result)) // bubble the agent's custom error up
            }
        }
    }

    receive() external payable {
        if (rejectPayments) revert ReentrantReceiverRejected();
        received += msg.value;
        if (target == address(0)) return;
        (bool ok, bytes memory result) = target.call(reentryCall);
        if (ok) reentered = true;
        reentryError = result;
    }
}
