// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title RoyaltySplitter — per-epoch Merkle distributor of data-owner royalties
/// @notice A funder opens an epoch with the Merkle root of `(owner, amount)` payouts
/// (DESIGN §7) and its total, in ETH or one ERC20. Each owner (or anyone on its behalf)
/// claims once with a proof; after the epoch's deadline the funder sweeps the remainder.
/// @dev Leaves are OpenZeppelin `StandardMerkleTree` leaves for `['address', 'uint256']`:
/// `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))`, proofs use sorted
/// pairs (`MerkleProof.verifyCalldata`). Double hashing keeps a 64-byte interior node from
/// ever being read as a leaf. Claims are recorded per leaf hash rather than in an index
/// bitmap because the leaf format carries no index; one leaf is one claim.
/// WARNING: fee-on-transfer and rebasing ERC20s are not supported: `createEpoch` reverts if
/// the amount received differs from `total`.
contract RoyaltySplitter is ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice One distribution.
    struct Epoch {
        bytes32 root; // StandardMerkleTree root of (owner, amount)
        address token; // address(0) for ETH
        address funder; // receives the sweep
        uint64 deadline; // claims allowed while block.timestamp <= deadline
        bool swept;
        uint256 total; // funded amount
        uint256 claimed; // paid so far
    }

    Epoch[] private _epochs;
    mapping(uint256 epochId => mapping(bytes32 leaf => bool)) private _claimed;

    /// @notice Epoch `epochId` was funded with `total` of `token` (zero address: ETH).
    event EpochCreated(
        uint256 indexed epochId,
        address indexed funder,
        address indexed token,
        bytes32 root,
        uint256 total,
        uint64 deadline
    );
    /// @notice `account` was paid `amount` from epoch `epochId`.
    event Claimed(uint256 indexed epochId, address indexed account, uint256 amount);
    /// @notice The unclaimed `amount` of epoch `epochId` went back to its funder.
    event Swept(uint256 indexed epochId, address indexed funder, uint256 amount);

    /// @notice The root is zero.
    error RoyaltySplitterZeroRoot();
    /// @notice The deadline is not in the future.
    error RoyaltySplitterInvalidDeadline(uint64 deadline, uint256 currentTime);
    /// @notice `msg.value` or the tokens received differ from `total`.
    error RoyaltySplitterIncorrectFunding(uint256 expected, uint256 received);
    /// @notice No epoch with this id.
    error RoyaltySplitterUnknownEpoch(uint256 epochId);
    /// @notice The epoch's claim deadline has passed.
    error RoyaltySplitterClaimWindowClosed(uint256 epochId, uint64 deadline, uint256 currentTime);
    /// @notice The leaf was already claimed.
    error RoyaltySplitterAlreadyClaimed(uint256 epochId, address account, uint256 amount);
    /// @notice The proof does not place the leaf under the epoch's root.
    error RoyaltySplitterInvalidProof(uint256 epochId, address account, uint256 amount);
    /// @notice Paying the claim would exceed the epoch's total (a root that over-allocates).
    error RoyaltySplitterOverAllocated(uint256 epochId, uint256 total, uint256 wouldBeClaimed);
    /// @notice The sweep is only possible after the deadline.
    error RoyaltySplitterClaimWindowOpen(uint256 epochId, uint64 deadline, uint256 currentTime);
    /// @notice The epoch was already swept.
    error RoyaltySplitterAlreadySwept(uint256 epochId);

    /// @notice Opens a new epoch funded with `total` of `token` (`address(0)`: ETH in
    /// `msg.value`; otherwise pulled from the caller, who must have approved `total`).
    /// @param root StandardMerkleTree root of `(address owner, uint256 amount)` leaves.
    /// @param token ERC20 token, or `address(0)` for ETH.
    /// @param total Sum of all leaf amounts.
    /// @param deadline Last timestamp at which claims are accepted.
    /// @return epochId The new epoch's id (sequential from 0).
    function createEpoch(
        bytes32 root,
        address token,
        uint256 total,
        uint64 deadline
    ) external payable nonReentrant returns (uint256 epochId) {
        if (root == bytes32(0)) revert RoyaltySplitterZeroRoot();
        if (deadline <= block.timestamp) revert RoyaltySplitterInvalidDeadline(deadline, block.timestamp);
        if (token == address(0)) {
            if (msg.value != total) revert RoyaltySplitterIncorrectFunding(total, msg.value);
        } else {
            if (msg.value != 0) revert RoyaltySplitterIncorrectFunding(0, msg.value);
        }
        epochId = _epochs.length;
        _epochs.push(Epoch(root, token, msg.sender, deadline, false, total, 0));
        emit EpochCreated(epochId, msg.sender, token, root, total, deadline);
        if (token != address(0)) {
            // Interaction last; the balance delta guards against fee-on-transfer tokens.
            uint256 before = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), total);
            uint256 received = IERC20(token).balanceOf(address(this)) - before;
            if (received != total) revert RoyaltySplitterIncorrectFunding(total, received);
        }
    }

    /// @notice Pays `amount` to `account` from epoch `epochId` if `proof` places the leaf
    /// `(account, amount)` under the epoch's root. Anyone may submit; funds go to `account`.
    /// @param epochId The epoch.
    /// @param account The owner in the leaf.
    /// @param amount The amount in the leaf.
    /// @param proof OpenZeppelin sorted-pair Merkle proof.
    function claim(
        uint256 epochId,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external nonReentrant {
        Epoch storage e = _epoch(epochId);
        if (block.timestamp > e.deadline) {
            revert RoyaltySplitterClaimWindowClosed(epochId, e.deadline, block.timestamp);
        }
        bytes32 leaf = leafHash(account, amount);
        if (_claimed[epochId][leaf]) revert RoyaltySplitterAlreadyClaimed(epochId, account, amount);
        if (!MerkleProof.verifyCalldata(proof, e.root, leaf)) {
            revert RoyaltySplitterInvalidProof(epochId, account, amount);
        }
        uint256 claimed = e.claimed + amount;
        if (claimed > e.total) revert RoyaltySplitterOverAllocated(epochId, e.total, claimed);
        _claimed[epochId][leaf] = true;
        e.claimed = claimed;
        emit Claimed(epochId, account, amount);
        _pay(e.token, account, amount);
    }

    /// @notice After the deadline, sends the unclaimed remainder of `epochId` to its funder.
    /// Anyone may call.
    /// @param epochId The epoch.
    function sweep(uint256 epochId) external nonReentrant {
        Epoch storage e = _epoch(epochId);
        if (block.timestamp <= e.deadline) revert RoyaltySplitterClaimWindowOpen(epochId, e.deadline, block.timestamp);
        if (e.swept) revert RoyaltySplitterAlreadySwept(epochId);
        uint256 amount = e.total - e.claimed;
        e.swept = true;
        emit Swept(epochId, e.funder, amount);
        _pay(e.token, e.funder, amount);
    }

    /// @notice Epoch `epochId`.
    /// @param epochId The epoch.
    /// @return The epoch record.
    function epoch(uint256 epochId) external view returns (Epoch memory) {
        return _epoch(epochId);
    }

    /// @notice Number of epochs created.
    /// @return The count; the next epoch id.
    function epochCount() external view returns (uint256) {
        return _epochs.length;
    }

    /// @notice Whether the leaf `(account, amount)` of `epochId` was claimed.
    /// @param epochId The epoch.
    /// @param account The owner.
    /// @param amount The amount.
    /// @return True once claimed.
    function isClaimed(uint256 epochId, address account, uint256 amount) external view returns (bool) {
        return _claimed[epochId][leafHash(account, amount)];
    }

    /// @notice The StandardMerkleTree leaf of `(account, amount)`.
    /// @param account The owner.
    /// @param amount The amount.
    /// @return `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))`.
    function leafHash(address account, uint256 amount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    /// @dev The epoch's storage record; reverts for an unknown id.
    function _epoch(uint256 epochId) private view returns (Epoch storage) {
        if (epochId >= _epochs.length) revert RoyaltySplitterUnknownEpoch(epochId);
        return _epochs[epochId];
    }

    /// @dev Sends ETH (`token == address(0)`) or an ERC20; nothing for a zero amount.
    function _pay(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (token == address(0)) Address.sendValue(payable(to), amount);
        else IERC20(token).safeTransfer(to, amount);
    }
}
