// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @dev Minimal surface of RoyaltySplitter used by the attacker.
interface ISplitterForAttack {
    function claim(uint256 epochId, address account, uint256 amount, bytes32[] calldata proof) external;
    function sweep(uint256 epochId) external;
}

/// @title ReentrantClaimer — TEST ONLY: re-enters `RoyaltySplitter` when paid ETH
/// @notice On receipt it replays its own claim (double claim) and tries a sweep; records
/// whether either nested call succeeded. Tests expect none does.
contract ReentrantClaimer {
    address public immutable splitter;
    uint256 public epochId;
    uint256 public amount;
    bytes32[] public proof;
    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;
    uint256 public received;

    constructor(address splitter_) {
        splitter = splitter_;
    }

    /// @notice Claims `(this, amount_)` from `epochId_` with `proof_`.
    /// @param epochId_ Epoch.
    /// @param amount_ Leaf amount.
    /// @param proof_ Merkle proof.
    function attack(uint256 epochId_, uint256 amount_, bytes32[] calldata proof_) external {
        epochId = epochId_;
        amount = amount_;
        proof = proof_;
        ISplitterForAttack(splitter).claim(epochId_, address(this), amount_, proof_);
    }

    receive() external payable {
        received += msg.value;
        reentryAttempts += 1;
        (bool ok, ) = splitter.call(
            abi.encodeCall(ISplitterForAttack.claim, (epochId, address(this), amount, proof))
        );
        if (ok) reentrySuccesses += 1;
        (ok, ) = splitter.call(abi.encodeCall(ISplitterForAttack.sweep, (epochId)));
        if (ok) reentrySuccesses += 1;
    }
}
