// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title FlagProtocol — byte encodings of the capture-the-flag protocol (DESIGN §5)
/// @notice Every hash here is SHA-256 (the "SHA-256 everywhere" rule of DESIGN §3) so the
/// off-chain prover and verifier compute the same bytes with any SHA-256 implementation.
/// Integers are 32-byte big-endian words, exactly as `abi.encodePacked` lays out `uint256`.
library FlagProtocol {
    /// @notice Flag commitment `C = SHA-256(salt ‖ i₀ ‖ i₁ ‖ … ‖ iₖ₋₁)` (DESIGN §5.1).
    /// @dev `indices` must be strictly increasing; each index is a 32-byte big-endian word, so
    /// the preimage is `32 · (k + 1)` bytes. The empty set commits to `SHA-256(salt)`.
    /// @param salt The trainer's secret 32-byte salt.
    /// @param sortedIndices The flagged entry indices, strictly increasing.
    /// @return The commitment stored at job acceptance.
    function flagCommitment(bytes32 salt, uint256[] calldata sortedIndices) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(salt, sortedIndices));
    }

    /// @notice Sealed root `SHA-256(salt ‖ index ‖ trueStateRoot)` carried by every entry
    /// (DESIGN §5.2); the preimage is exactly 96 bytes.
    /// @param salt The trainer's salt.
    /// @param index The entry index (32-byte big-endian word).
    /// @param trueStateRoot The state root the trainer really reached at `index`.
    /// @return The sealed root.
    function sealedRoot(bytes32 salt, uint256 index, bytes32 trueStateRoot) internal pure returns (bytes32) {
        return sha256(abi.encodePacked(salt, index, trueStateRoot));
    }

    /// @notice Verdict commitment `SHA-256(jobId ‖ slot ‖ verifier ‖ computedRoot ‖ nonce)`,
    /// 5 × 32 bytes, the address left-padded to a word (`abi.encode`).
    /// @dev Binding the job, slot and verifier stops another verifier from copying a
    /// commitment and later revealing the same answer (DESIGN §5.6 "no answer without work").
    /// @param jobId The job.
    /// @param slot The audit slot.
    /// @param verifier The verifier that will reveal.
    /// @param computedRoot The state root R' the verifier computed by replay.
    /// @param nonce A fresh 32-byte random value.
    /// @return The commitment submitted before the reveal phase.
    function verdictCommitment(
        bytes32 jobId,
        uint256 slot,
        address verifier,
        bytes32 computedRoot,
        bytes32 nonce
    ) internal pure returns (bytes32) {
        return sha256(abi.encode(jobId, slot, verifier, computedRoot, nonce));
    }

    /// @notice Audit seed `keccak256(blockhash(seedBlock) ‖ finalRoot)` (DESIGN §4).
    /// @param blockHash `blockhash(seedBlock)`, non-zero.
    /// @param finalRoot The job's final anchored root.
    /// @return The public audit seed.
    function auditSeed(bytes32 blockHash, bytes32 finalRoot) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(blockHash, finalRoot));
    }

    /// @notice Entry index audited by `slot`: `1 + uint256(keccak256(seed ‖ slot)) mod (size − 1)`.
    /// @dev The audited segment is `[i − 1, i]`, so `i` ranges over `1 … size − 1`; entry 0 is
    /// the committed initial state and is never the end of a segment. Requires `size ≥ 2`.
    /// @param seed The audit seed.
    /// @param slot The audit slot, `0 ≤ slot < auditCount`.
    /// @param size The final tree size.
    /// @return The audited entry index `i`.
    function auditedIndex(bytes32 seed, uint256 slot, uint256 size) internal pure returns (uint256) {
        return 1 + (uint256(keccak256(abi.encodePacked(seed, slot))) % (size - 1));
    }

    /// @notice Returns whether `index` is in the strictly increasing list `sortedIndices`.
    /// @dev Binary search, O(log k); the caller has already checked the ordering.
    /// @param sortedIndices Strictly increasing indices.
    /// @param index The index looked up.
    /// @return True when present.
    function contains(uint256[] calldata sortedIndices, uint256 index) internal pure returns (bool) {
        uint256 lo = 0;
        uint256 hi = sortedIndices.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) >> 1;
            uint256 v = sortedIndices[mid];
            if (v == index) return true;
            if (v < index) lo = mid + 1;
            else hi = mid;
        }
        return false;
    }
}
