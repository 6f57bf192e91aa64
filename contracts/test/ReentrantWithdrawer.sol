// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @dev Minimal surface of FlagstoneLedger used by the attacker.
interface ILedgerForAttack {
    function withdraw() external;
}

/// @title ReentrantWithdrawer — TEST ONLY: re-enters `FlagstoneLedger.withdraw` on receipt
/// @notice Acts as a job client (so it has something credited) and, when paid, tries to
/// withdraw again. Records whether the nested call succeeded; tests expect it never does.
contract ReentrantWithdrawer {
    address public immutable ledger;
    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;
    uint256 public received;

    constructor(address ledger_) {
        ledger = ledger_;
    }

    /// @notice Forwards arbitrary calldata (e.g. an ABI-encoded `openJob`) with value.
    /// @param data The call.
    function call(bytes calldata data) external payable {
        (bool ok, bytes memory ret) = ledger.call{value: msg.value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
    }

    /// @notice Withdraws the attacker's credit (the outer call).
    function attack() external {
        ILedgerForAttack(ledger).withdraw();
    }

    receive() external payable {
        received += msg.value;
        reentryAttempts += 1;
        (bool ok, ) = ledger.call(abi.encodeCall(ILedgerForAttack.withdraw, ()));
        if (ok) reentrySuccesses += 1;
    }
}
