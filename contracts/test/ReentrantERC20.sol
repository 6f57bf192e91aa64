// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantERC20 — TEST ONLY: a token whose transfers call back into a target
/// @notice While armed, every transfer replays `payload` against `target` (e.g. RoyaltySplitter
/// `createEpoch` or `claim`) and records whether the nested call succeeded. Tests expect none does.
contract ReentrantERC20 is ERC20 {
    address public target;
    bytes public payload;
    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;

    constructor() ERC20("Reentrant", "RE") {}

    /// @notice Mints `amount` to `to`.
    /// @param to Recipient.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: transfers will call `target_` with `payload_`.
    /// @param target_ Contract to re-enter.
    /// @param payload_ Calldata of the nested call.
    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
    }

    /// @dev Re-enters on transfers between two non-zero accounts.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (target != address(0) && from != address(0) && to != address(0)) {
            reentryAttempts += 1;
            (bool ok, ) = target.call(payload);
            if (ok) reentrySuccesses += 1;
        }
    }
}
